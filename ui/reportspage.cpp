#include "ui/reportspage.h"

#include "app/reports/reportwriter.h"
#include "models/browse/runlistmodel.h"
#include "models/store/resultsstore.h"
#include "ui/appcontext.h"
#include "ui/backgroundloader.h"
#include "ui/runtable.h"
#include "ui/thresholdtablemodel.h"

#include <QComboBox>
#include <QCoreApplication>
#include <QDesktopServices>
#include <QDir>
#include <QEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSplitter>
#include <QStandardPaths>
#include <QTableView>
#include <QThread>
#include <QUrl>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace evs {

namespace {

struct FormatChoice {
    ReportFormat format;
    const char* label;
};

const FormatChoice kFormats[] = {
    { ReportFormat::Html, QT_TRANSLATE_NOOP("evs::ReportsPage", "HTML — one self-contained file with charts") },
    { ReportFormat::Pdf, QT_TRANSLATE_NOOP("evs::ReportsPage", "PDF — with charts") },
    { ReportFormat::Csv, QT_TRANSLATE_NOOP("evs::ReportsPage", "CSV — one row per sample") },
    { ReportFormat::Json, QT_TRANSLATE_NOOP("evs::ReportsPage", "JSON — the summary") },
    { ReportFormat::Jsonl, QT_TRANSLATE_NOOP("evs::ReportsPage", "JSONL — one record per request") },
    { ReportFormat::Markdown, QT_TRANSLATE_NOOP("evs::ReportsPage", "Markdown — summary tables") },
    { ReportFormat::Junit, QT_TRANSLATE_NOOP("evs::ReportsPage", "JUnit XML — thresholds as test cases") },
    { ReportFormat::Prometheus, QT_TRANSLATE_NOOP("evs::ReportsPage", "Prometheus — text exposition") },
};

QString defaultFolder()
{
    const QString docs = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    return docs.isEmpty() ? QDir::homePath() : docs;
}

QString humanSize(qint64 bytes)
{
    if (bytes < 1024)
        return QCoreApplication::translate("evs::ReportsPage", "%n byte(s)", nullptr, int(bytes));
    if (bytes < 1024 * 1024)
        return u"%1 KiB"_s.arg(bytes / 1024.0, 0, 'f', 1);
    return u"%1 MiB"_s.arg(bytes / (1024.0 * 1024.0), 0, 'f', 1);
}

} // namespace

// Writes one report on a worker thread (ReportWriter opens its own store connection there; HTML and PDF paint their
// charts on that thread). Answers with written(path) or failed(error).
class ReportExporter : public BackgroundLoader {
    Q_OBJECT
public:
    using BackgroundLoader::BackgroundLoader;

    void write(const QString& databasePath, qint64 runId, ReportFormat format, const QString& path)
    {
        start(
            [databasePath, runId, format, path](QString* error) {
                ReportWriter::write(databasePath, runId, format, path, error);
                return path;
            },
            [this](const QString& written) { Q_EMIT this->written(written); });
    }

Q_SIGNALS:
    void written(const QString& path);
};

ReportsPage::ReportsPage(AppContext* context, QWidget* parent)
    : QWidget(parent)
    , m_context(context)
    , m_thresholds(new ThresholdTableModel(this))
    , m_exporter(new ReportExporter(this))
{
    setObjectName(u"reportsPage"_s);
    m_thresholds->setPalette(palette());

    auto* title = new QLabel(tr("Reports"), this);
    QFont f = title->font();
    f.setPointSizeF(f.pointSizeF() * 1.3);
    f.setBold(true);
    title->setFont(f);
    auto* storeLabel = new QLabel(tr("Stored runs in %1").arg(context->databasePath()), this);
    storeLabel->setObjectName(u"storeLabel"_s);
    storeLabel->setWordWrap(true);
    storeLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto* split = new QSplitter(Qt::Vertical, this);
    split->setObjectName(u"reportsSplitter"_s);
    split->setChildrenCollapsible(false);

    m_table = new RunTable(context, split);

    auto* bottom = new QWidget(split);
    auto* bottomLayout = new QVBoxLayout(bottom);
    bottomLayout->setContentsMargins(0, 0, 0, 0);
    m_runHeader = new QLabel(tr("Select a run above."), bottom);
    m_runHeader->setObjectName(u"runHeader"_s);
    QFont hf = m_runHeader->font();
    hf.setBold(true);
    m_runHeader->setFont(hf);
    m_runHeader->setWordWrap(true);
    bottomLayout->addWidget(m_runHeader);

    auto* columns = new QHBoxLayout;
    bottomLayout->addLayout(columns, 1);

    auto* thresholdsBox = new QGroupBox(tr("Thresholds"), bottom);
    auto* thresholdsLayout = new QVBoxLayout(thresholdsBox);
    m_thresholdSummary = new QLabel(thresholdsBox);
    m_thresholdSummary->setObjectName(u"thresholdsSummary"_s);
    m_thresholdSummary->setWordWrap(true);
    thresholdsLayout->addWidget(m_thresholdSummary);
    m_thresholdTable = new QTableView(thresholdsBox);
    m_thresholdTable->setObjectName(u"thresholdsTable"_s);
    m_thresholdTable->setModel(m_thresholds);
    m_thresholdTable->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_thresholdTable->setWordWrap(false);
    m_thresholdTable->verticalHeader()->hide();
    m_thresholdTable->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_thresholdTable->horizontalHeader()->setSectionResizeMode(
        ThresholdTableModel::BenchmarkColumn, QHeaderView::Stretch);
    thresholdsLayout->addWidget(m_thresholdTable, 1);
    columns->addWidget(thresholdsBox, 3);

    auto* exportBox = new QGroupBox(tr("Export"), bottom);
    auto* exportLayout = new QVBoxLayout(exportBox);
    m_format = new QComboBox(exportBox);
    m_format->setObjectName(u"formatCombo"_s);
    for (const FormatChoice& c : kFormats)
        m_format->addItem(tr(c.label), int(c.format));
    m_format->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    auto* formatRow = new QHBoxLayout;
    auto* formatLabel = new QLabel(tr("&Format:"), exportBox);
    formatLabel->setBuddy(m_format);
    formatRow->addWidget(formatLabel);
    formatRow->addWidget(m_format, 1);
    exportLayout->addLayout(formatRow);

    m_path = new QLineEdit(exportBox);
    m_path->setObjectName(u"pathEdit"_s);
    m_path->setClearButtonEnabled(true);
    m_browse = new QPushButton(tr("&Browse…"), exportBox);
    m_browse->setObjectName(u"browseButton"_s);
    auto* pathRow = new QHBoxLayout;
    auto* pathLabel = new QLabel(tr("F&ile:"), exportBox);
    pathLabel->setBuddy(m_path);
    pathRow->addWidget(pathLabel);
    pathRow->addWidget(m_path, 1);
    pathRow->addWidget(m_browse);
    exportLayout->addLayout(pathRow);

    m_export = new QPushButton(tr("&Export"), exportBox);
    m_export->setObjectName(u"exportButton"_s);
    m_export->setDefault(true);
    m_export->setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Fixed);
    m_progress = new QProgressBar(exportBox);
    m_progress->setObjectName(u"exportProgress"_s);
    m_progress->setRange(0, 0); // ReportWriter reports no steps: busy until it is done
    m_progress->setTextVisible(false);
    m_progress->hide();
    auto* exportRow = new QHBoxLayout;
    exportRow->addWidget(m_export);
    exportRow->addWidget(m_progress, 1);
    exportRow->addStretch(0); // keeps the button at the left while the bar is hidden
    exportLayout->addLayout(exportRow);

    m_status = new QLabel(exportBox);
    m_status->setObjectName(u"exportStatus"_s);
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    exportLayout->addWidget(m_status);

    m_openFile = new QPushButton(tr("Open &file"), exportBox);
    m_openFile->setObjectName(u"openFileButton"_s);
    m_openFolder = new QPushButton(tr("Open f&older"), exportBox);
    m_openFolder->setObjectName(u"openFolderButton"_s);
    auto* openRow = new QHBoxLayout;
    openRow->addWidget(m_openFile);
    openRow->addWidget(m_openFolder);
    openRow->addStretch(1);
    exportLayout->addLayout(openRow);
    exportLayout->addStretch(1);
    columns->addWidget(exportBox, 2);

    split->addWidget(m_table);
    split->addWidget(bottom);
    split->setStretchFactor(0, 2);
    split->setStretchFactor(1, 3);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(title);
    layout->addWidget(storeLabel);
    layout->addWidget(split, 1);

    connect(m_table, &RunTable::refreshed, this, &ReportsPage::onRunsRefreshed);
    connect(m_table, &RunTable::refreshFailed, m_runHeader, &QLabel::setText);
    connect(m_exporter, &ReportExporter::written, this, [this](const QString& path) { exportEnded(path, {}); });
    connect(m_exporter, &ReportExporter::failed, this,
        [this](const QString& error) { exportEnded(m_exportingPath, error); });
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this, &ReportsPage::showSelectedRun);
    connect(m_format, &QComboBox::currentIndexChanged, this, &ReportsPage::formatChanged);
    connect(m_path, &QLineEdit::textChanged, this, &ReportsPage::updateButtons);
    connect(m_path, &QLineEdit::editingFinished, this, [this] {
        // A typed suffix names the format, as the CLI's -o does.
        if (const auto f = reportFormatFromPath(m_path->text()); f && *f != format())
            setFormat(*f);
    });
    connect(m_browse, &QPushButton::clicked, this, &ReportsPage::browse);
    connect(m_export, &QPushButton::clicked, this, &ReportsPage::exportReport);
    connect(m_openFile, &QPushButton::clicked, this,
        [this] { QDesktopServices::openUrl(QUrl::fromLocalFile(m_lastWritten)); });
    connect(m_openFolder, &QPushButton::clicked, this,
        [this] { QDesktopServices::openUrl(QUrl::fromLocalFile(QFileInfo(m_lastWritten).absolutePath())); });

    m_path->setText(QDir(defaultFolder()).filePath(u"report."_s + reportFormatSuffix(format())));
    showSelectedRun();
    refresh();
}

RunListModel* ReportsPage::runsModel() const
{
    return m_table->runs();
}

void ReportsPage::refresh()
{
    Q_ASSERT(QThread::currentThread() == thread());
    m_table->refresh();
}

void ReportsPage::onRunsRefreshed()
{
    // The table kept the selection; the selected run's figures may be new (it finished).
    showSelectedRun();
    Q_EMIT runsRefreshed();
}

void ReportsPage::selectRun(qint64 runId)
{
    if (runsModel()->rowOfRun(runId) < 0)
        return;
    m_table->selectRun(runId);
    // selectRow() on the row already selected emits nothing, yet the run's figures may be new (it finished).
    showSelectedRun();
}

qint64 ReportsPage::selectedRunId() const
{
    return m_table->selectedRunId();
}

void ReportsPage::showSelectedRun()
{
    const qint64 id = selectedRunId();
    const RunListModel::Row* row = runsModel()->runAt(runsModel()->rowOfRun(id));
    if (!row) {
        m_runHeader->setText(runsModel()->rowCount() ? tr("Select a run above.") : tr("No stored runs yet."));
        m_thresholds->setThresholds({});
        m_thresholdSummary->setText({});
        updateButtons();
        return;
    }
    m_runHeader->setText(tr("Run #%1 %2 — %3 (%4)")
                             .arg(id)
                             .arg(row->info.name, row->models.join(u", "_s), runStatusName(row->info.status)));
    const QJsonArray thresholds = row->info.summary.value(u"thresholds"_s).toArray();
    m_thresholds->setThresholds(thresholds);
    if (row->info.summary.isEmpty())
        m_thresholdSummary->setText(tr("Thresholds are evaluated when a run ends; this run has no saved summary."));
    else if (thresholds.isEmpty())
        m_thresholdSummary->setText(tr("The run's plan declares no thresholds."));
    else if (m_thresholds->failedCount() == 0)
        m_thresholdSummary->setText(tr("All %n threshold(s) passed.", nullptr, m_thresholds->rowCount()));
    else
        m_thresholdSummary->setText(tr("%1 of %2 thresholds failed: a CI gate on this run fails.")
                                        .arg(m_thresholds->failedCount())
                                        .arg(m_thresholds->rowCount()));

    // The file name follows the run (a refresh of the same run keeps what the user typed); the folder stays.
    if (id != m_shownRunId) {
        const QString folder = exportPath().isEmpty() ? defaultFolder() : QFileInfo(exportPath()).absolutePath();
        m_path->setText(QDir(folder).filePath(u"run-%1.%2"_s.arg(id).arg(reportFormatSuffix(format()))));
    }
    m_shownRunId = id;
    updateButtons();
}

void ReportsPage::setFormat(ReportFormat f)
{
    const int i = m_format->findData(int(f));
    if (i >= 0)
        m_format->setCurrentIndex(i);
}

ReportFormat ReportsPage::format() const
{
    return ReportFormat(m_format->currentData().toInt());
}

void ReportsPage::setExportPath(const QString& path)
{
    m_path->setText(path);
}

QString ReportsPage::exportPath() const
{
    return m_path->text().trimmed();
}

void ReportsPage::formatChanged()
{
    // Keep the file's suffix in step with the format, unless the user named a suffix of their own.
    const QString path = exportPath();
    if (!path.isEmpty()) {
        const QFileInfo fi(path);
        if (fi.suffix().isEmpty() || reportFormatFromPath(path))
            m_path->setText(QDir(fi.path()).filePath(fi.completeBaseName() + u'.' + reportFormatSuffix(format())));
    }
    updateButtons();
}

void ReportsPage::browse()
{
    auto* dialog = new QFileDialog(this, tr("Export report to"));
    dialog->setObjectName(u"exportFileDialog"_s);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setAcceptMode(QFileDialog::AcceptSave);
    dialog->setFileMode(QFileDialog::AnyFile);
    const QString suffix = reportFormatSuffix(format());
    dialog->setDefaultSuffix(suffix);
    dialog->setNameFilters(
        { tr("%1 files (*.%2)").arg(m_format->currentText().section(u' ', 0, 0), suffix), tr("All files (*)") });
    if (!exportPath().isEmpty())
        dialog->selectFile(exportPath());
    connect(dialog, &QFileDialog::fileSelected, this, [this](const QString& file) {
        m_path->setText(file);
        if (const auto f = reportFormatFromPath(file); f && *f != format())
            setFormat(*f);
    });
    dialog->open();
}

void ReportsPage::exportReport()
{
    Q_ASSERT(QThread::currentThread() == thread());
    const qint64 runId = selectedRunId();
    const QString path = exportPath();
    if (runId <= 0 || path.isEmpty() || m_exporting)
        return;
    const ReportFormat f = format();
    m_exporting = true;
    m_exportingPath = path;
    m_progress->show();
    setStatus(tr("Writing the %1 report of run #%2…").arg(reportFormatName(f).toUpper()).arg(runId), false);
    updateButtons();
    m_exporter->write(m_context->databasePath(), runId, f, path);
}

void ReportsPage::exportEnded(const QString& path, const QString& error)
{
    m_exporting = false;
    m_progress->hide();
    if (error.isEmpty()) {
        m_lastWritten = QFileInfo(path).absoluteFilePath();
        setStatus(tr("Wrote %1 (%2).")
                      .arg(QDir::toNativeSeparators(m_lastWritten), humanSize(QFileInfo(m_lastWritten).size())),
            false);
    } else {
        m_lastWritten.clear();
        setStatus(tr("Export failed: %1").arg(error), true);
    }
    updateButtons();
    Q_EMIT exportFinished(path, error);
}

void ReportsPage::setStatus(const QString& text, bool failed)
{
    // The words say it failed; the colour only repeats it, in the palette's own "negative" tone when dark or light.
    QPalette p = palette();
    if (failed) {
        const bool dark = p.color(QPalette::Base).lightness() < 128;
        p.setColor(QPalette::WindowText, dark ? QColor(0xff, 0x8a, 0x80) : QColor(0xb0, 0x00, 0x20));
    }
    m_status->setPalette(p);
    m_status->setText(text);
}

void ReportsPage::updateButtons()
{
    const RunListModel::Row* row = runsModel()->runAt(runsModel()->rowOfRun(selectedRunId()));
    // The live run's records are still arriving: its report would be out of date before it is read.
    const bool live = row && row->info.id == runsModel()->activeRunId();
    m_export->setEnabled(row && !live && !exportPath().isEmpty() && !m_exporting);
    m_export->setToolTip(live ? tr("The run is still going on: export it when it has ended") : QString());
    m_format->setEnabled(!m_exporting);
    m_path->setEnabled(!m_exporting);
    m_browse->setEnabled(!m_exporting);
    const bool written = !m_lastWritten.isEmpty() && !m_exporting;
    m_openFile->setEnabled(written);
    m_openFolder->setEnabled(written);
}

void ReportsPage::changeEvent(QEvent* event)
{
    if (event->type() == QEvent::PaletteChange)
        m_thresholds->setPalette(palette());
    QWidget::changeEvent(event);
}

} // namespace evs

#include "reportspage.moc"
