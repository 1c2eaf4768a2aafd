#pragma once

#include "models/stats/comparison.h"
#include "models/store/resultsstore.h"

#include <QAbstractTableModel>

#include <memory>

namespace evs {

// The samples where two sides disagree (one got full credit, the other did not), read from the store in keyset
// pages as the view scrolls (fetchMore), never the whole list. The total comes from the comparison.
class CompareDisagreementModel : public QAbstractTableModel {
    Q_OBJECT
    Q_PROPERTY(qint64 totalCount READ totalCount NOTIFY totalCountChanged)
public:
    enum Columns {
        SampleColumn,
        ExpectedColumn,
        BaselineScoreColumn,
        BaselineResponseColumn,
        SideScoreColumn,
        SideResponseColumn,
        NUM_COLUMNS
    };
    enum Roles { SampleIndexRole = Qt::UserRole, RepeatRole };
    static constexpr int kPageSize = 200;

    explicit CompareDisagreementModel(QObject* parent = nullptr);
    ~CompareDisagreementModel() override;

    // Opens the store at path on this thread; an empty path or total 0 clears the model.
    bool setSource(const QString& databasePath, const DisagreementPair& pair, qint64 total, QString* error = nullptr);
    void clear();
    qint64 totalCount() const { return m_total; }
    const Disagreement* disagreement(int row) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    bool canFetchMore(const QModelIndex& parent) const override;
    void fetchMore(const QModelIndex& parent) override;

Q_SIGNALS:
    void totalCountChanged(qint64 total);

private:
    std::unique_ptr<ResultsStore> m_store;
    QString m_path;
    DisagreementPair m_pair;
    qint64 m_total = 0;
    bool m_exhausted = false;
    QVector<Disagreement> m_rows;
};

} // namespace evs
