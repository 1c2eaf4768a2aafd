#pragma once

#include <QSet>
#include <QTableView>
#include <QVector>

namespace evs {

class AppContext;
class RunListLoader;
class RunListModel;

// The table of stored runs that the Runs, Compare and Reports pages share: one RunListModel, newest first, read from
// the store on a worker thread (RunListLoader) by refresh() and whenever the store's list changes; the active run is
// marked live. The selected runs stay selected across a refresh (by run id). A page chooses the selection mode and
// hides the columns it does not need.
//
// Object name: "runsTable".
class RunTable : public QTableView {
    Q_OBJECT
public:
    explicit RunTable(AppContext* context, QWidget* parent = nullptr);
    ~RunTable() override;

    RunListModel* runs() const { return m_runs; }
    RunListLoader* loader() const { return m_loader; }
    QString databasePath() const;

    void refresh();
    qint64 selectedRunId() const; // the first selected run, 0 = none
    QVector<qint64> selectedRunIds() const; // in the table's order
    void selectRun(qint64 runId); // and scrolls to it; nothing when it is not listed
    void selectRuns(const QSet<qint64>& runIds);

Q_SIGNALS:
    void refreshed(); // the model holds the list just read (empty after a failure)
    void refreshFailed(const QString& error); // after refreshed()

private:
    void showRuns(const QVector<qint64>& keepSelected, bool failed, const QString& error);

    AppContext* m_context;
    RunListModel* m_runs;
    RunListLoader* m_loader;
};

} // namespace evs
