#include "ui/comparepage.h"

#include "ui/appcontext.h"
#include "ui/storedrunsmodel.h"

#include <QHeaderView>
#include <QLabel>
#include <QTableView>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace evs {

ComparePage::ComparePage(AppContext* context, QWidget* parent)
    : QWidget(parent)
    , m_context(context)
    , m_runs(new StoredRunsModel(this))
    , m_table(new QTableView)
{
    setObjectName(u"comparePage"_s);
    auto* title = new QLabel(tr("Compare runs"));
    QFont f = title->font();
    f.setPointSizeF(f.pointSizeF() * 1.3);
    f.setBold(true);
    title->setFont(f);
    auto* intro = new QLabel(tr(
        "<p>Comparing runs arrives with issue 5. This page will take two or more stored runs and show:</p><ul><li>a "
        "summary with the differences in score, latency percentiles, TTFT, throughput, error rate and cost, and their "
        "significance (McNemar&#39;s exact test for pass/fail scores, a paired bootstrap otherwise)</li><li>overlaid "
        "latency distributions (CDFs)</li><li>the samples on which the runs disagree</li><li>a models × benchmarks "
        "matrix</li></ul><p>Until then: open a run on the Runs page to read its dashboard and every sample.</p>"));
    intro->setObjectName(u"introLabel"_s);
    intro->setWordWrap(true);
    intro->setTextFormat(Qt::RichText);
    auto* listTitle = new QLabel(tr("Stored runs in %1").arg(context->databasePath()));
    listTitle->setObjectName(u"storeLabel"_s);
    listTitle->setWordWrap(true);
    m_table->setObjectName(u"runsTable"_s);
    m_table->setModel(m_runs);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setAlternatingRowColors(true);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(title);
    layout->addWidget(intro);
    layout->addWidget(listTitle);
    layout->addWidget(m_table, 1);
    connect(context, &AppContext::runsChanged, this, &ComparePage::refresh);
}

void ComparePage::refresh()
{
    m_runs->reload(m_context->databasePath());
    m_table->resizeColumnsToContents();
}

} // namespace evs
