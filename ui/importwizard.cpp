#include "ui/importwizard.h"

#include "app/benchmarks/samplesource.h"
#include "models/plan/scorerregistry.h"
#include "ui/appcontext.h"
#include "ui/datasetpreviewmodel.h"
#include "ui/scoreroptionseditor.h"
#include "ui/workspace.h"

#include <QComboBox>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QLocale>
#include <QMimeData>
#include <QProgressBar>
#include <QPushButton>
#include <QSplitter>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>
#include <QWizardPage>
#include <QtConcurrent/QtConcurrentRun>

#include <functional>

using namespace Qt::StringLiterals;

namespace evs {

namespace {

// A wizard page whose Next/Finish is enabled by a predicate (the page's state lives in the wizard).
class CheckedPage : public QWizardPage {
public:
    std::function<bool()> complete;
    bool isComplete() const override { return complete ? complete() : true; }
};

const QStringList kMappedFields = { u"input"_s, u"choices"_s, u"target"_s, u"id"_s, u"category"_s };

QString fieldTip(const QString& field)
{
    if (field == u"input"_s)
        return ImportWizard::tr("The record key holding the question or prompt (required in every record)");
    if (field == u"choices"_s)
        return ImportWizard::tr("Multiple choice: a key holding a list of options, or columns A, B, C, D…");
    if (field == u"target"_s)
        return ImportWizard::tr("The expected answer (a letter or 0-based index for multiple choice; GSM8K's "
                                "\"#### n\" becomes n)");
    if (field == u"id"_s)
        return ImportWizard::tr("A stable id per sample; the sample's index when absent");
    return ImportWizard::tr("A category to break scores down by (e.g. subject)");
}

QString reportLine(const QString& report, const QString& dataset)
{
    // "DATASET:LINE: reason" reads better in the wizard as "line LINE: reason".
    if (report.startsWith(dataset + u':'))
        return ImportWizard::tr("line %1").arg(report.mid(dataset.size() + 1));
    return report;
}

} // namespace

ImportWizard::ImportWizard(AppContext* context, QWidget* parent)
    : QWizard(parent)
    , m_context(context)
    , m_rescan(new QTimer(this))
{
    setObjectName(u"importWizard"_s);
    setWindowTitle(tr("Import a benchmark dataset"));
    setWizardStyle(QWizard::ClassicStyle);
    setOption(QWizard::NoBackButtonOnStartPage);
    setAcceptDrops(true);
    setProperty("scanning", false);
    setProperty("goodRecords", qlonglong(-1));
    setProperty("badRecords", qlonglong(-1));
    setPage(FilePage, createFilePage());
    setPage(MappingPage, createMappingPage());
    setPage(ScorerPage, createScorerPage());
    resize(900, 640);

    m_rescan->setSingleShot(true);
    m_rescan->setInterval(250);
    connect(m_rescan, &QTimer::timeout, this, &ImportWizard::startScan);
    connect(&m_watcher, &QFutureWatcher<DatasetScan>::finished, this, &ImportWizard::onScanFinished);
    connect(&m_watcher, &QFutureWatcher<DatasetScan>::progressValueChanged, this,
        [this](int records) { m_status->setText(tr("Reading… %1 records so far").arg(QLocale().toString(records))); });
    connect(this, &QWizard::currentIdChanged, this, [this](int id) {
        if (id == MappingPage && !m_scan)
            startScan();
    });
}

ImportWizard::~ImportWizard()
{
    m_watcher.cancel(); // the read owns copies only; canceling just ends it sooner
}

bool ImportWizard::isDatasetFile(const QString& path)
{
    static const QStringList suffixes
        = { u"jsonl"_s, u"ndjson"_s, u"jsonlines"_s, u"json"_s, u"csv"_s, u"tsv"_s, u"tab"_s };
    return QFileInfo(path).isFile() && suffixes.contains(QFileInfo(path).suffix().toLower());
}

QWizardPage* ImportWizard::createFilePage()
{
    auto* page = new CheckedPage;
    page->setObjectName(u"filePage"_s);
    page->setTitle(tr("Dataset file"));
    page->setSubTitle(tr("Pick a file, type its path, or drop it onto this window."));
    page->complete = [this] { return QFileInfo(m_path->text().trimmed()).isFile(); };

    m_path = new QLineEdit(page);
    m_path->setObjectName(u"filePathEdit"_s);
    m_path->setPlaceholderText(tr("/path/to/dataset.jsonl"));
    m_path->setToolTip(tr("The dataset file: JSON Lines, a JSON array, CSV or TSV (with a header row, or MMLU's "
                          "headerless layout)"));
    auto* browse = new QPushButton(tr("&Browse…"), page);
    browse->setObjectName(u"browseButton"_s);
    browse->setToolTip(tr("Choose the dataset file"));
    connect(browse, &QPushButton::clicked, this, &ImportWizard::browse);
    connect(m_path, &QLineEdit::textChanged, page, [this, page] {
        m_scan.reset();
        Q_EMIT page->completeChanged();
        if (!m_idEdited && m_id)
            m_id->setText(uniqueId(QFileInfo(m_path->text().trimmed()).completeBaseName()));
    });

    m_format = new QComboBox(page);
    m_format->setObjectName(u"formatCombo"_s);
    m_format->addItem(tr("detect from the file name"), QString());
    for (const QString& f : SampleSource::formatNames())
        m_format->addItem(f, f);
    m_format->setToolTip(tr("How the file is read. Detection uses the extension (.jsonl .ndjson .json .csv .tsv) "
                            "and recognises MMLU's headerless CSV"));
    connect(m_format, &QComboBox::currentIndexChanged, this, [this] { m_scan.reset(); });

    auto* drop = new QLabel(tr("Drop a .jsonl, .json, .csv or .tsv file here"), page);
    drop->setAlignment(Qt::AlignCenter);
    drop->setMinimumHeight(120);
    drop->setFrameShape(QFrame::StyledPanel);
    drop->setFrameShadow(QFrame::Sunken);
    drop->setObjectName(u"dropArea"_s);

    auto* row = new QHBoxLayout;
    row->addWidget(m_path, 1);
    row->addWidget(browse);
    auto* form = new QFormLayout;
    form->addRow(tr("&File:"), row);
    form->addRow(tr("F&ormat:"), m_format);
    auto* layout = new QVBoxLayout(page);
    layout->addLayout(form);
    layout->addWidget(drop, 1);
    return page;
}

QWizardPage* ImportWizard::createMappingPage()
{
    auto* page = new CheckedPage;
    page->setObjectName(u"mappingPage"_s);
    page->setTitle(tr("Preview and field mapping"));
    page->setSubTitle(tr("Which record key holds each field. Detected keys are preselected; change any of them."));
    page->complete = [this] {
        return m_scan && m_scan->error.isEmpty() && m_scan->goodRecords > 0 && !property("scanning").toBool();
    };
    m_mappingPage = page;

    auto* form = new QFormLayout;
    for (const QString& field : kMappedFields) {
        auto* combo = new QComboBox(page);
        combo->setObjectName(u"map"_s + field.at(0).toUpper() + field.mid(1));
        combo->setToolTip(fieldTip(field));
        combo->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
        combo->setMinimumContentsLength(14);
        combo->addItem(tr("(automatic)"));
        connect(combo, &QComboBox::activated, this, [this, field] {
            m_userMapped.insert(field);
            m_rescan->start();
        });
        m_mapCombos.insert(field, combo);
        const QString label = field.at(0).toUpper() + field.mid(1) + u':';
        form->addRow(u'&' + label, combo);
    }
    m_metadata = new QLineEdit(page);
    m_metadata->setObjectName(u"mapMetadata"_s);
    m_metadata->setPlaceholderText(tr("every other key"));
    m_metadata->setToolTip(tr("Record keys kept as metadata, separated by commas; empty = every key no other field "
                              "uses"));
    connect(m_metadata, &QLineEdit::textEdited, this, [this] { m_rescan->start(); });
    form->addRow(tr("&Metadata:"), m_metadata);

    m_progress = new QProgressBar(page);
    m_progress->setObjectName(u"scanProgress"_s);
    m_progress->setRange(0, 0);
    m_progress->setVisible(false);
    m_progress->setToolTip(tr("The file is being read"));
    m_status = new QLabel(page);
    m_status->setObjectName(u"scanStatusLabel"_s);
    m_status->setWordWrap(true);
    m_status->setToolTip(tr("Good records are the samples the benchmark will have"));

    m_previewModel = new DatasetPreviewModel(this);
    m_preview = new QTableView(page);
    m_preview->setObjectName(u"previewTable"_s);
    m_preview->setModel(m_previewModel);
    m_preview->setToolTip(tr("The first %1 good records as read; a column header shows the field it is mapped to")
                              .arg(DatasetScan::kPreviewRows));
    m_preview->horizontalHeader()->setDefaultSectionSize(160);
    m_preview->verticalHeader()->setDefaultSectionSize(m_preview->fontMetrics().height() + 6);
    m_preview->setWordWrap(false);
    m_preview->setSelectionBehavior(QAbstractItemView::SelectRows);

    m_badLabel = new QLabel(page);
    m_badLabel->setObjectName(u"badLinesLabel"_s);
    m_badLabel->setToolTip(tr("Bad records are skipped and counted; the run goes on without them"));
    m_badList = new QListWidget(page);
    m_badList->setObjectName(u"badLinesList"_s);
    m_badList->setToolTip(tr("Each bad record: its line and why it was skipped (the first 100)"));

    auto* left = new QWidget(page);
    auto* leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->addLayout(form);
    leftLayout->addStretch(1);

    auto* bottom = new QWidget(page);
    auto* bottomLayout = new QVBoxLayout(bottom);
    bottomLayout->setContentsMargins(0, 0, 0, 0);
    bottomLayout->addWidget(m_badLabel);
    bottomLayout->addWidget(m_badList);

    auto* right = new QSplitter(Qt::Vertical, page);
    right->addWidget(m_preview);
    right->addWidget(bottom);
    right->setStretchFactor(0, 3);
    right->setStretchFactor(1, 1);

    auto* top = new QHBoxLayout;
    top->addWidget(left);
    top->addWidget(right, 1);
    auto* layout = new QVBoxLayout(page);
    layout->addLayout(top, 1);
    layout->addWidget(m_progress);
    layout->addWidget(m_status);
    return page;
}

QWizardPage* ImportWizard::createScorerPage()
{
    auto* page = new CheckedPage;
    page->setObjectName(u"scorerPage"_s);
    page->setTitle(tr("Name and scoring"));
    page->setSubTitle(tr("The benchmark's id in the workspace and how its answers are scored."));
    m_id = new QLineEdit(page);
    m_id->setObjectName(u"benchmarkIdEdit"_s);
    m_id->setToolTip(tr("A unique name for the benchmark in the workspace and in plans"));
    connect(m_id, &QLineEdit::textEdited, this, [this] { m_idEdited = true; });
    m_scorer = new ScorerOptionsEditor(page);
    QStringList models;
    for (const ModelSpec& m : m_context->workspace()->models())
        models << m.id;
    m_scorer->setJudgeModels(models);
    connect(m_scorer, &ScorerOptionsEditor::changed, this, [this] { m_scorerChosen = true; });
    m_error = new QLabel(page);
    m_error->setObjectName(u"importErrorLabel"_s);
    m_error->setWordWrap(true);
    m_error->setStyleSheet(u"QLabel { color: #c62828; }"_s);

    auto* form = new QFormLayout;
    form->addRow(tr("&Id:"), m_id);
    auto* layout = new QVBoxLayout(page);
    layout->addLayout(form);
    layout->addWidget(m_scorer, 1);
    layout->addWidget(m_error);
    return page;
}

void ImportWizard::browse()
{
    auto* dialog = new QFileDialog(this, tr("Choose a dataset"), QFileInfo(m_path->text()).absolutePath(),
        tr("Datasets (*.jsonl *.ndjson *.jsonlines *.json *.csv *.tsv *.tab);;All files (*)"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setFileMode(QFileDialog::ExistingFile);
    connect(dialog, &QFileDialog::fileSelected, this, &ImportWizard::setFile);
    dialog->open();
}

void ImportWizard::setFile(const QString& path)
{
    m_path->setText(QFileInfo(path).absoluteFilePath());
    if (currentId() == MappingPage)
        startScan();
}

void ImportWizard::dragEnterEvent(QDragEnterEvent* event)
{
    const QList<QUrl> urls = event->mimeData()->urls();
    if (urls.size() == 1 && urls.first().isLocalFile() && isDatasetFile(urls.first().toLocalFile()))
        event->acceptProposedAction();
}

void ImportWizard::dropEvent(QDropEvent* event)
{
    const QList<QUrl> urls = event->mimeData()->urls();
    if (urls.size() != 1 || !urls.first().isLocalFile())
        return;
    setFile(urls.first().toLocalFile());
    event->acceptProposedAction();
}

QJsonObject ImportWizard::mapping() const
{
    QJsonObject fields;
    for (auto it = m_mapCombos.begin(); it != m_mapCombos.end(); ++it) {
        const QVariant data = it.value()->currentData();
        if (!data.isValid())
            continue;
        const QStringList keys = data.toStringList();
        if (keys.size() == 1)
            fields.insert(it.key(), keys.first());
        else if (!keys.isEmpty())
            fields.insert(it.key(), QJsonArray::fromStringList(keys));
    }
    QStringList meta;
    for (const QString& key : m_metadata->text().split(u',')) {
        if (!key.trimmed().isEmpty())
            meta << key.trimmed();
    }
    if (!meta.isEmpty())
        fields.insert(u"metadata"_s, QJsonArray::fromStringList(meta));
    return fields;
}

BenchmarkSpec ImportWizard::scanSpec() const
{
    BenchmarkSpec spec;
    spec.id = m_id ? m_id->text().trimmed() : QString();
    spec.dataset = QFileInfo(m_path->text().trimmed()).absoluteFilePath();
    spec.format = m_format->currentData().toString();
    spec.fields = mapping();
    return spec;
}

void ImportWizard::startScan()
{
    Q_ASSERT(QThread::currentThread() == thread());
    m_rescan->stop();
    m_watcher.cancel();
    const quint64 generation = ++m_generation;
    setProperty("scanning", true);
    m_progress->setVisible(true);
    m_status->setText(tr("Reading…"));
    Q_EMIT m_mappingPage->completeChanged();
    m_watcher.setFuture(QtConcurrent::run(&DatasetScan::run, scanSpec(), generation));
}

void ImportWizard::onScanFinished()
{
    const QFuture<DatasetScan> future = m_watcher.future();
    if (future.isCanceled() || future.resultCount() == 0)
        return; // a newer read replaced it
    const DatasetScan scan = future.result();
    if (scan.generation != m_generation)
        return;
    applyScan(scan);
}

void ImportWizard::fillMappingCombos(const DatasetScan& scan)
{
    for (auto it = m_mapCombos.begin(); it != m_mapCombos.end(); ++it) {
        QComboBox* combo = it.value();
        const QString& field = it.key();
        const QVariant current = combo->currentData();
        combo->clear();
        const QJsonValue detected = scan.detected.value(field);
        const QString detectedText
            = detected.isArray() ? detected.toVariant().toStringList().join(u", "_s) : detected.toString();
        combo->addItem(detectedText.isEmpty() ? tr("(automatic: not found)") : tr("(automatic)"));
        for (const QString& key : scan.keys)
            combo->addItem(key, QStringList { key });
        if (detected.isArray()) // choices spread over columns
            combo->addItem(detectedText, detected.toVariant().toStringList());
        QVariant want = m_userMapped.contains(field) ? current : QVariant();
        if (!m_userMapped.contains(field) && !detectedText.isEmpty())
            want = detected.isArray() ? QVariant(detected.toVariant().toStringList())
                                      : QVariant(QStringList { detectedText });
        int index = want.isValid() ? combo->findData(want) : 0;
        if (index < 0) { // a key the file no longer has: keep it visible as chosen
            combo->addItem(want.toStringList().join(u", "_s), want);
            index = combo->count() - 1;
        }
        combo->setCurrentIndex(index);
        combo->setToolTip(fieldTip(field)
            + (detectedText.isEmpty() ? tr("\nAuto-detection found no key for it.")
                                      : tr("\nAuto-detected: %1").arg(detectedText)));
    }
}

void ImportWizard::applyScan(const DatasetScan& scan)
{
    m_scan = scan;
    setProperty("scanning", false);
    setProperty("goodRecords", qlonglong(scan.goodRecords));
    setProperty("badRecords", qlonglong(scan.badRecords));
    m_progress->setVisible(false);
    const QLocale locale;
    if (!scan.error.isEmpty()) {
        m_status->setText(tr("Cannot read the dataset: %1").arg(scan.error));
    } else {
        m_status->setText(
            tr("Format %1 (%2). %3 good records, %4 bad.")
                .arg(scan.format, scan.formatHow, locale.toString(scan.goodRecords), locale.toString(scan.badRecords)));
    }
    fillMappingCombos(scan);
    m_previewModel->setPreview(scan.keys, scan.preview, scan.detected);
    m_badLabel->setText(scan.badRecords == 0
            ? tr("No bad records.")
            : tr("%n bad record(s) skipped", nullptr, int(std::min<qint64>(scan.badRecords, INT_MAX)))
                + (scan.badRecords > scan.badReports.size() ? tr(" (the first %1 listed)").arg(scan.badReports.size())
                                                            : QString())
                + u':');
    m_badList->clear();
    const QString dataset = scanSpec().dataset;
    for (const QString& report : scan.badReports)
        m_badList->addItem(reportLine(report, dataset));
    m_badList->setVisible(scan.badRecords > 0);

    if (!m_scorerChosen) {
        // A first guess the user sees and can change (ScorerRegistry::suggestFor).
        bool choices = false;
        bool numeric = !scan.preview.isEmpty();
        for (const Sample& s : scan.preview) {
            choices = choices || !s.choices.isEmpty();
            bool ok = false;
            s.target.toDouble(&ok);
            numeric = numeric && ok;
        }
        ScorerSpec spec;
        spec.type = ScorerRegistry::suggestFor(choices, numeric);
        spec.options.insert(u"type"_s, spec.type);
        m_scorer->setSpec(spec);
        m_scorerChosen = false; // setSpec's change signal is not the user's choice
    }
    Q_EMIT m_mappingPage->completeChanged();
}

QString ImportWizard::uniqueId(const QString& base) const
{
    QString stem = base.trimmed().isEmpty() ? u"dataset"_s : base.trimmed();
    QString id = stem;
    const auto& benchmarks = m_context->workspace()->benchmarks();
    for (int n = 2;; ++n) {
        const bool taken
            = std::any_of(benchmarks.begin(), benchmarks.end(), [&](const BenchmarkSpec& b) { return b.id == id; });
        if (!taken)
            return id;
        id = stem + u'-' + QString::number(n);
    }
}

BenchmarkSpec ImportWizard::benchmarkSpec() const
{
    BenchmarkSpec spec = scanSpec();
    spec.scorer = m_scorer->spec();
    spec.fewshot.seed = m_context->workspace()->plan().seed;
    return spec;
}

bool ImportWizard::validateCurrentPage()
{
    if (currentId() != ScorerPage)
        return QWizard::validateCurrentPage();
    const QString scorerError = m_scorer->validationError();
    if (!scorerError.isEmpty()) {
        m_error->setText(tr("The scorer is not valid: %1").arg(scorerError));
        return false;
    }
    const BenchmarkSpec spec = benchmarkSpec();
    Workspace* workspace = m_context->workspace();
    const int index = int(workspace->benchmarks().size());
    QString error;
    if (!workspace->setBenchmark(index, spec, &error)) {
        m_error->setText(error);
        return false;
    }
    m_error->clear();
    m_addedIndex = index;
    Q_EMIT benchmarkAdded(index);
    return true;
}

} // namespace evs
