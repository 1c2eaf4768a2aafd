#include "ui/reportspage.h"

#include "ui/appcontext.h"
#include "ui/storedrunsmodel.h"

#include <QHeaderView>
#include <QLabel>
#include <QTableView>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace evs {

ReportsPage::ReportsPage(AppContext* context, QWidget* parent)
    : QWidget(parent)
    , m_context(context)
    , m_runs(new StoredRunsModel(this))
    , m_table(new QTableView)
{
    setObjectName(u"reportsPage"_s);
    auto* title = new QLabel(tr("Reports"));
    QFont f = title->font();
    f.setPointSizeF(f.pointSizeF() * 1.3);
    f.setBold(true);
    title->setFont(f);
    auto* intro = new QLabel(tr(
        "<p>Exporting reports arrives with issue 5. This page will export a stored run as:</p><ul><li>HTML "
        "(self-contained, charts inline) and PDF</li><li>CSV and JSON/JSONL of every sample</li><li>Markdown and JUnit "
        "XML (thresholds as test cases) for CI</li></ul><p>Reports never contain API keys, and model output is "
        "escaped.</p><p>Until then: <code>evalsandbox-cli</code> prints a finished run&#39;s summary table.</p>"));
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
    connect(context, &AppContext::runsChanged, this, &ReportsPage::refresh);
}

void ReportsPage::refresh()
{
    m_runs->reload(m_context->databasePath());
    m_table->resizeColumnsToContents();
}

} // namespace evs
