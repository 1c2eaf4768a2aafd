#pragma once

#include <QWidget>

class QTableView;

namespace evs {

class AppContext;
class StoredRunsModel;

// Placeholder until issue 5: says what this page will do and lists the stored runs it will work on.
// Object names: "comparePage", "runsTable".
class ComparePage : public QWidget {
    Q_OBJECT
public:
    explicit ComparePage(AppContext* context, QWidget* parent = nullptr);

    StoredRunsModel* runsModel() const { return m_runs; }
    void refresh();

private:
    AppContext* m_context;
    StoredRunsModel* m_runs;
    QTableView* m_table;
};

} // namespace evs
