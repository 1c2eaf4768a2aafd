#include "ui/resultsbrowser.h"

#include "models/browse/resultstablemodel.h"
#include "ui/sampledetailpane.h"

#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QProgressBar>
#include <QSplitter>
#include <QTableView>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace evs {

ResultsBrowser::ResultsBrowser(QWidget* parent)
    : QWidget(parent)
    , m_model(new ResultsTableModel(this))
{
    setObjectName(u"resultsBrowser"_s);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);

    auto* bar = new QHBoxLayout;
    m_failedOnly = new QCheckBox(tr("Failed"), this);
    m_failedOnly->setObjectName(u"failedOnlyCheck"_s);
    m_failedOnly->setToolTip(tr("Only samples whose final attempt failed"));
    m_wrongOnly = new QCheckBox(tr("Wrong"), this);
    m_wrongOnly->setObjectName(u"wrongOnlyCheck"_s);
    m_wrongOnly->setToolTip(tr("Only scored samples below full credit (score < 1)"));
    const auto combo = [this](const QString& name, const QString& tip) {
        auto* c = new QComboBox(this);
        c->setObjectName(name);
        c->setToolTip(tip);
        c->setSizeAdjustPolicy(QComboBox::AdjustToContents);
        c->setMinimumContentsLength(8);
        return c;
    };
    m_modelFilter = combo(u"modelFilter"_s, tr("Model"));
    m_benchmarkFilter = combo(u"benchmarkFilter"_s, tr("Benchmark"));
    m_categoryFilter = combo(u"categoryFilter"_s, tr("Category"));
    m_search = new QLineEdit(this);
    m_search->setObjectName(u"searchEdit"_s);
    m_search->setPlaceholderText(tr("Search responses and expected answers"));
    m_search->setClearButtonEnabled(true);
    m_search->setToolTip(tr("Substring, not case-sensitive for ASCII. Reads every response of the run on a background "
                            "thread; press Enter to start at once."));
    m_search->setMinimumWidth(160);
    m_progress = new QProgressBar(this);
    m_progress->setObjectName(u"loadProgress"_s);
    m_progress->setMaximumWidth(140);
    m_progress->setTextVisible(true);
    m_progress->hide();
    m_cancel = new QToolButton(this);
    m_cancel->setObjectName(u"cancelLoadButton"_s);
    m_cancel->setText(tr("Cancel"));
    m_cancel->setToolTip(tr("Stop the search"));
    m_cancel->hide();
    m_refresh = new QToolButton(this);
    m_refresh->setObjectName(u"refreshResultsButton"_s);
    m_refresh->setText(tr("Refresh"));
    m_refresh->setToolTip(tr("Read the run again (a live run grows)"));
    m_count = new QLabel(this);
    m_count->setObjectName(u"countLabel"_s);

    bar->addWidget(m_failedOnly);
    bar->addWidget(m_wrongOnly);
    bar->addWidget(m_modelFilter);
    bar->addWidget(m_benchmarkFilter);
    bar->addWidget(m_categoryFilter);
    bar->addWidget(m_search, 1);
    bar->addWidget(m_progress);
    bar->addWidget(m_cancel);
    bar->addWidget(m_refresh);
    layout->addLayout(bar);

    auto* split = new QSplitter(Qt::Horizontal, this);
    split->setObjectName(u"resultsSplitter"_s);
    m_table = new QTableView(split);
    m_table->setObjectName(u"resultsTable"_s);
    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->hide();
    // Fixed row heights: the view never measures a million rows.
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 8);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->horizontalHeader()->setSortIndicator(ResultsTableModel::SampleColumn, Qt::AscendingOrder);
    m_table->setSortingEnabled(true);
    // Wide enough for the header (with its sort arrow) and for typical contents, in average characters.
    const QFontMetrics fm = m_table->fontMetrics();
    const QFontMetrics headerFm = m_table->horizontalHeader()->fontMetrics();
    const int widths[ResultsTableModel::NUM_COLUMNS] = { 16, 10, 14, 14, 15, 6, 6, 6, 5, 5, 30, 10 };
    for (int c = 0; c < ResultsTableModel::NUM_COLUMNS; ++c) {
        const int header = headerFm.horizontalAdvance(m_model->headerData(c, Qt::Horizontal).toString()) + 32;
        m_table->setColumnWidth(c, qMax(header, fm.averageCharWidth() * widths[c] + 16));
    }
    m_detail = new SampleDetailPane(split);
    split->addWidget(m_table);
    split->addWidget(m_detail);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    split->setSizes({ 620, 380 });
    layout->addWidget(split, 1);
    layout->addWidget(m_count);

    m_searchDelay = new QTimer(this);
    m_searchDelay->setSingleShot(true);
    m_searchDelay->setInterval(600);

    connect(m_failedOnly, &QCheckBox::toggled, this, &ResultsBrowser::applyFilter);
    connect(m_wrongOnly, &QCheckBox::toggled, this, &ResultsBrowser::applyFilter);
    for (QComboBox* c : { m_modelFilter, m_benchmarkFilter, m_categoryFilter })
        connect(c, &QComboBox::currentIndexChanged, this, [this] {
            if (!m_updatingFacets)
                applyFilter();
        });
    connect(m_search, &QLineEdit::textEdited, m_searchDelay, qOverload<>(&QTimer::start));
    connect(m_search, &QLineEdit::returnPressed, this, &ResultsBrowser::applyFilter);
    connect(m_search, &QLineEdit::textChanged, this, [this](const QString& t) {
        if (t.isEmpty()) // the clear button
            applyFilter();
    });
    connect(m_searchDelay, &QTimer::timeout, this, &ResultsBrowser::applyFilter);
    connect(m_cancel, &QToolButton::clicked, m_model, &ResultsTableModel::cancel);
    connect(m_refresh, &QToolButton::clicked, this, &ResultsBrowser::reload);

    // Sorting: unsortable columns keep the current order, so the indicator goes back to it.
    connect(m_table->horizontalHeader(), &QHeaderView::sortIndicatorChanged, this, [this](int column, Qt::SortOrder) {
        if (ResultsTableModel::sortKeyForColumn(column))
            return;
        const ResultsSort s = m_model->sortOrder();
        QTimer::singleShot(0, this, [this, s] {
            m_table->horizontalHeader()->setSortIndicator(
                ResultsTableModel::columnForSortKey(s.key), s.descending ? Qt::DescendingOrder : Qt::AscendingOrder);
        });
    });

    connect(m_model, &ResultsTableModel::facetsChanged, this, &ResultsBrowser::updateFacets);
    connect(m_model, &ResultsTableModel::loadingStarted, this, [this] {
        m_progress->setRange(0, 0);
        m_progress->show();
        m_cancel->setVisible(!m_model->filter().text.isEmpty());
        m_detail->clear(tr("Select a sample to see it here."));
        m_count->setText(tr("Reading…"));
    });
    connect(m_model, &ResultsTableModel::loadProgress, this, [this](qint64 examined, qint64 total) {
        if (total > 0) {
            m_progress->setRange(0, 1000);
            m_progress->setValue(int(1000 * examined / total));
            m_progress->setFormat(tr("%p% searched"));
        }
    });
    const auto stopped = [this] {
        m_progress->hide();
        m_cancel->hide();
        updateCount();
    };
    connect(m_model, &ResultsTableModel::loaded, this, stopped);
    connect(m_model, &ResultsTableModel::loadCanceled, this, [this, stopped] {
        stopped();
        m_count->setText(tr("Search canceled: change a filter or press Enter in the search box to start again"));
    });
    connect(m_model, &ResultsTableModel::loadFailed, this, [this](const QString& error) {
        m_progress->hide();
        m_cancel->hide();
        m_count->setText(error);
    });
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
        &ResultsBrowser::showDetailForCurrent);
    // The selected row's page may arrive after the selection.
    connect(m_model, &ResultsTableModel::pageLoaded, this, [this](int page) {
        const int row = m_table->currentIndex().row();
        if (row >= 0 && row / ResultsTableModel::kPageRows == page && m_detail->resultId() == 0)
            showDetailForCurrent();
    });
    updateFacets();
}

ResultsBrowser::~ResultsBrowser() = default;

void ResultsBrowser::setRun(const QString& dbPath, qint64 runId)
{
    m_detailQuery.reset();
    m_updatingFacets = true;
    m_failedOnly->setChecked(false);
    m_wrongOnly->setChecked(false);
    m_search->clear();
    m_updatingFacets = false;
    m_searchDelay->stop();
    m_model->setQuery(dbPath, runId, {}, m_model->sortOrder());
}

void ResultsBrowser::clear()
{
    m_detailQuery.reset();
    m_model->clear();
    m_detail->clear(tr("Select a sample to see it here."));
    m_count->clear();
}

void ResultsBrowser::reload()
{
    m_model->reload();
}

qint64 ResultsBrowser::runId() const
{
    return m_model->runId();
}

void ResultsBrowser::applyFilter()
{
    m_searchDelay->stop();
    ResultsFilter f;
    f.failedOnly = m_failedOnly->isChecked();
    f.wrongOnly = m_wrongOnly->isChecked();
    f.modelIndex = m_modelFilter->currentData().isValid() ? m_modelFilter->currentData().toInt() : -1;
    f.benchmarkIndex = m_benchmarkFilter->currentData().isValid() ? m_benchmarkFilter->currentData().toInt() : -1;
    f.category = m_categoryFilter->currentData().toString();
    f.text = m_search->text().trimmed();
    m_model->setFilter(f);
}

void ResultsBrowser::updateFacets()
{
    const RunFacets& f = m_model->facets();
    m_updatingFacets = true;
    const auto fill = [](QComboBox* c, const QString& all, const QStringList& names, bool byIndex) {
        const QVariant keep = c->currentData();
        c->clear();
        c->addItem(all);
        for (int i = 0; i < names.size(); ++i)
            c->addItem(names.at(i), byIndex ? QVariant(i) : QVariant(names.at(i)));
        const int at = c->findData(keep);
        c->setCurrentIndex(at > 0 ? at : 0);
        c->setEnabled(names.size() > 1 || (!byIndex && !names.isEmpty()));
    };
    fill(m_modelFilter, tr("All models"), f.models, true);
    fill(m_benchmarkFilter, tr("All benchmarks"), f.benchmarks, true);
    fill(m_categoryFilter, tr("All categories"), f.categories, false);
    m_total = f.total;
    m_updatingFacets = false;
    updateCount();
}

void ResultsBrowser::updateCount()
{
    if (m_model->isLoading())
        return;
    const QLocale loc;
    const qint64 shown = m_model->rowCount();
    if (m_model->runId() <= 0)
        m_count->clear();
    else if (m_model->filter() == ResultsFilter {})
        m_count->setText(tr("%1 samples").arg(loc.toString(shown)));
    else
        m_count->setText(tr("%1 of %2 samples match").arg(loc.toString(shown), loc.toString(m_total)));
}

void ResultsBrowser::showDetailForCurrent()
{
    const int row = m_table->currentIndex().row();
    const qint64 id = m_model->resultId(row);
    if (id <= 0) {
        m_detail->clear(row >= 0 ? tr("Reading…") : tr("Select a sample to see it here."));
        return;
    }
    if (!m_detailQuery || m_detailQuery->path() != m_model->databasePath()) {
        m_detailQuery = std::make_unique<ResultsQuery>();
        QString error;
        if (!m_detailQuery->open(m_model->databasePath(), &error)) {
            m_detailQuery.reset();
            m_detail->clear(error);
            return;
        }
    }
    QString error;
    const auto detail = m_detailQuery->detail(id, &error);
    if (!detail) {
        m_detail->clear(error);
        return;
    }
    const RunFacets& f = m_model->facets();
    const auto name
        = [](const QStringList& names, int i) { return names.value(i).isEmpty() ? u"#%1"_s.arg(i) : names.value(i); };
    m_detail->setDetail(
        *detail, name(f.models, detail->row.modelIndex), name(f.benchmarks, detail->row.benchmarkIndex));
    Q_EMIT detailShown(id);
}

} // namespace evs
