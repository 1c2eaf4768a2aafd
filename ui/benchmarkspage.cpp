#include "ui/benchmarkspage.h"

#include "app/benchmarks/promptrenderer.h"
#include "app/benchmarks/samplesource.h"
#include "models/core/textescape.h"
#include "models/plan/planparser.h"
#include "ui/appcontext.h"
#include "ui/backgroundloader.h"
#include "ui/benchmarklistmodel.h"
#include "ui/importwizard.h"
#include "ui/runlauncher.h"
#include "ui/scoreroptionseditor.h"
#include "ui/templateeditor.h"
#include "ui/workspace.h"

#include <QDialogButtonBox>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonDocument>
#include <QLabel>
#include <QLocale>
#include <QMessageBox>
#include <QMimeData>
#include <QPushButton>
#include <QScrollArea>
#include <QSplitter>
#include <QTreeView>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace evs {

// What the benchmark list shows of a dataset before a run: its format and sample count (or why it cannot be read).
struct DatasetFacts {
    qint64 samples = -1;
    QString format;
    QString error;
};

// Reads one dataset's facts on a worker thread: counting the samples of a large file takes seconds.
class DatasetFactsLoader : public BackgroundLoader {
    Q_OBJECT
public:
    using BackgroundLoader::BackgroundLoader;

    void load(const BenchmarkSpec& spec)
    {
        start(
            [spec](QString*) {
                DatasetFacts f; // an unreadable dataset is a fact to show, not a failure of the read
                QString how;
                f.format = SampleSource::resolveFormat(spec, &how, &f.error);
                if (!f.format.isEmpty())
                    f.samples = SampleSource::countSamples(spec, &f.error);
                return f;
            },
            [this](const DatasetFacts& f) { Q_EMIT loaded(f); });
    }

Q_SIGNALS:
    void loaded(const evs::DatasetFacts& facts);
};

BenchmarksPage::BenchmarksPage(AppContext* context, QWidget* parent)
    : QWidget(parent)
    , m_context(context)
    , m_model(new BenchmarkListModel(this))
    , m_table(new QTreeView(this))
    , m_card(new QLabel(this))
    , m_import(new QPushButton(tr("&Import dataset…"), this))
    , m_addBundled(new QPushButton(tr("&Add to workspace"), this))
    , m_editTemplate(new QPushButton(tr("Edit &template…"), this))
    , m_editScorer(new QPushButton(tr("&Scorer…"), this))
    , m_remove(new QPushButton(tr("&Remove"), this))
{
    setObjectName(u"benchmarksPage"_s);
    setAcceptDrops(true);

    m_import->setObjectName(u"importButton"_s);
    m_import->setToolTip(tr("Import a dataset file (JSONL, JSON, CSV, TSV) as a benchmark; you can also drop the "
                            "file onto this page"));
    m_addBundled->setObjectName(u"addBundledButton"_s);
    m_addBundled->setToolTip(tr("Add the selected bundled benchmark to the workspace, with its default scorer"));
    m_editTemplate->setObjectName(u"editTemplateButton"_s);
    m_editTemplate->setToolTip(tr("Edit the system prompt and template, with a live rendered sample"));
    m_editScorer->setObjectName(u"editScorerButton"_s);
    m_editScorer->setToolTip(tr("Choose how the selected benchmark's answers are scored"));
    m_remove->setObjectName(u"removeBenchmarkButton"_s);
    m_remove->setToolTip(tr("Remove the selected benchmark from the workspace (its dataset file is kept)"));
    auto* newRun = new QPushButton(tr("&New run…"), this);
    newRun->setObjectName(u"newRunButton"_s);
    newRun->setToolTip(tr("Choose models and benchmarks, see the estimate, and start a run"));

    m_table->setObjectName(u"benchmarkTable"_s);
    m_table->setModel(m_model);
    m_table->setRootIsDecorated(false);
    m_table->setUniformRowHeights(true);
    m_table->setAllColumnsShowFocus(true);
    m_table->setToolTip(tr("The workspace's benchmarks, then the bundled ones not in the workspace yet"));
    m_table->header()->setStretchLastSection(false);
    m_table->header()->setSectionResizeMode(BenchmarkListModel::Name, QHeaderView::Stretch);
    for (int c = BenchmarkListModel::Origin; c < BenchmarkListModel::NUM_COLUMNS; ++c)
        m_table->header()->setSectionResizeMode(c, QHeaderView::ResizeToContents);

    m_card->setObjectName(u"benchmarkCard"_s);
    m_card->setWordWrap(true);
    m_card->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    m_card->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    m_card->setTextFormat(Qt::RichText);
    m_card->setMargin(8);
    m_card->setToolTip(tr("The selected benchmark: dataset, format, samples, scorer and template"));
    auto* cardScroll = new QScrollArea(this);
    cardScroll->setWidget(m_card);
    cardScroll->setWidgetResizable(true);
    cardScroll->setFrameShape(QFrame::StyledPanel);

    auto* splitter = new QSplitter(Qt::Horizontal, this);
    splitter->addWidget(m_table);
    splitter->addWidget(cardScroll);
    cardScroll->setMinimumWidth(300);
    splitter->setStretchFactor(0, 1);
    splitter->setStretchFactor(1, 1);
    splitter->setSizes({ 540, 420 });

    auto* buttons = new QHBoxLayout;
    for (QPushButton* b : { m_import, m_addBundled, m_editTemplate, m_editScorer, m_remove })
        buttons->addWidget(b);
    buttons->addStretch(1);
    buttons->addWidget(newRun);
    auto* hint = new QLabel(tr("Drop a dataset file (.jsonl, .json, .csv, .tsv) here to import it."), this);
    hint->setObjectName(u"dropHint"_s);
    hint->setEnabled(false);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(buttons);
    layout->addWidget(splitter, 1);
    layout->addWidget(hint);

    connect(m_import, &QPushButton::clicked, this, [this] { openImportWizard(); });
    connect(m_addBundled, &QPushButton::clicked, this, &BenchmarksPage::addBundled);
    connect(m_editTemplate, &QPushButton::clicked, this, [this] { openTemplateEditor(currentWorkspaceIndex()); });
    connect(m_editScorer, &QPushButton::clicked, this, [this] { openScorerDialog(currentWorkspaceIndex()); });
    connect(m_remove, &QPushButton::clicked, this, &BenchmarksPage::removeCurrent);
    connect(newRun, &QPushButton::clicked, this, [this] { openRunLauncher(); });
    connect(m_table, &QTreeView::activated, this, [this] {
        if (currentWorkspaceIndex() >= 0)
            openTemplateEditor(currentWorkspaceIndex());
    });
    connect(m_context->workspace(), &Workspace::benchmarksChanged, this, &BenchmarksPage::reload);
    reload();
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &BenchmarksPage::updateCard);
    connect(m_model, &QAbstractItemModel::dataChanged, this, &BenchmarksPage::updateCard);
    if (m_model->rowCount() > 0)
        m_table->setCurrentIndex(m_model->index(0, 0));
    updateCard();
}

BenchmarksPage::~BenchmarksPage() = default;

void BenchmarksPage::reload()
{
    const int keepIndex = currentWorkspaceIndex();
    QVector<BenchmarkListModel::Entry> entries;
    const auto& benchmarks = m_context->workspace()->benchmarks();
    QSet<QString> used;
    for (int i = 0; i < benchmarks.size(); ++i) {
        entries.append({ benchmarks[i], i });
        used.insert(benchmarks[i].dataset);
    }
    for (const QString& name : SampleSource::builtinNames()) {
        const QString dataset = u"builtin:"_s + name;
        if (used.contains(dataset))
            continue;
        BenchmarkSpec spec;
        spec.id = name;
        spec.dataset = dataset;
        spec.scorer.type = PlanParser::defaultScorerType(dataset);
        spec.scorer.options.insert(u"type"_s, spec.scorer.type);
        entries.append({ spec, -1 });
    }
    for (auto& e : entries) {
        const auto it = m_facts.constFind(BenchmarkListModel::datasetKey(e.spec));
        if (it != m_facts.constEnd()) {
            e.samples = it->samples;
            e.format = it->format;
            e.error = it->error;
        }
    }
    m_model->setEntries(entries);
    if (keepIndex >= 0)
        selectWorkspaceBenchmark(std::min<int>(keepIndex, int(benchmarks.size()) - 1));
    readDatasetFacts();
    updateCard();
}

void BenchmarksPage::readDatasetFacts()
{
    for (int row = 0; row < m_model->rowCount(); ++row) {
        const BenchmarkSpec spec = m_model->entry(row)->spec;
        const QString key = BenchmarkListModel::datasetKey(spec);
        if (m_facts.contains(key) || m_reading.contains(key))
            continue;
        m_reading.insert(key);
        // One loader per dataset, so that a large file does not hold up the others; it is the page's child, so
        // the answer of a read that outlives the page is dropped with it.
        auto* loader = new DatasetFactsLoader(this);
        connect(loader, &DatasetFactsLoader::loaded, this, [this, loader, key](const DatasetFacts& f) {
            loader->deleteLater();
            m_reading.remove(key);
            m_facts.insert(key, { f.samples, f.format, f.error });
            m_model->setDatasetFacts(key, f.samples, f.format, f.error);
        });
        loader->load(spec);
    }
}

int BenchmarksPage::currentRow() const
{
    return m_table->currentIndex().isValid() ? m_table->currentIndex().row() : -1;
}

int BenchmarksPage::currentWorkspaceIndex() const
{
    const auto* e = m_model->entry(currentRow());
    return e ? e->workspaceIndex : -1;
}

void BenchmarksPage::selectWorkspaceBenchmark(int workspaceIndex)
{
    const int row = m_model->rowOfWorkspaceIndex(workspaceIndex);
    if (row >= 0)
        m_table->setCurrentIndex(m_model->index(row, 0));
}

void BenchmarksPage::updateCard()
{
    const auto* e = m_model->entry(currentRow());
    const bool inWorkspace = e && e->workspaceIndex >= 0;
    m_addBundled->setEnabled(e && !inWorkspace);
    m_editTemplate->setEnabled(inWorkspace);
    m_editScorer->setEnabled(inWorkspace);
    m_remove->setEnabled(inWorkspace && m_context->workspace()->benchmarks().size() > 1);
    if (!e) {
        m_card->setText(tr("<p>Select a benchmark, or import a dataset.</p>"));
        return;
    }
    const BenchmarkSpec& s = e->spec;
    const QLocale locale;
    const auto row = [](const QString& name, const QString& value) -> QString {
        return u"<tr><td style='padding-right:12px'><b>"_s + name + u"</b></td><td>"_s + value + u"</td></tr>"_s;
    };
    const auto code = [](const QString& text) -> QString {
        return u"<p style='white-space:pre-wrap; font-family:monospace'>"_s + TextEscape::html(text) + u"</p>"_s;
    };
    QString html = u"<h3>"_s + TextEscape::html(s.id) + u"</h3><table>"_s;
    html += row(tr("Dataset"), TextEscape::html(s.dataset));
    html += row(tr("Format"), e->format.isEmpty() ? tr("…") : TextEscape::html(e->format));
    QString samples = !e->error.isEmpty()
        ? u"<span style='color:#c62828'>"_s + TextEscape::html(e->error) + u"</span>"_s
        : e->samples < 0 ? tr("counting…")
                         : locale.toString(e->samples);
    if (s.limit > 0)
        samples += tr(" (limit %1)").arg(locale.toString(s.limit));
    html += row(tr("Samples"), samples);
    html += row(tr("Repeats"), QString::number(s.repeats));
    QJsonObject options = s.scorer.options;
    options.remove(u"type"_s);
    html += row(tr("Scorer"),
        TextEscape::html(s.scorer.type)
            + (options.isEmpty() ? QString()
                                 : u" "_s
                        + TextEscape::html(QString::fromUtf8(QJsonDocument(options).toJson(QJsonDocument::Compact)))));
    if (!s.fields.isEmpty())
        html += row(
            tr("Fields"), TextEscape::html(QString::fromUtf8(QJsonDocument(s.fields).toJson(QJsonDocument::Compact))));
    if (s.fewshot.k > 0)
        html += row(tr("Few-shot"),
            tr("%1 examples from %2")
                .arg(s.fewshot.k)
                .arg(s.fewshot.from.isEmpty() ? tr("the dataset itself") : TextEscape::html(s.fewshot.from)));
    html += u"</table>"_s;
    if (!s.system.isEmpty())
        html += u"<p><b>"_s + tr("System prompt") + u"</b></p>"_s + code(s.system);
    if (s.promptTemplate.isEmpty()) // the default depends on whether samples have choices
        html += u"<p><b>"_s + tr("Template") + u"</b> "_s + tr("(default)") + u"</p>"_s
            + code(PromptRenderer::defaultTemplate(s.scorer.type == u"multiple_choice"_s));
    else
        html += u"<p><b>"_s + tr("Template") + u"</b></p>"_s + code(s.promptTemplate);
    if (!inWorkspace)
        html += u"<p><i>"_s + tr("Bundled with the application; add it to the workspace to run it.") + u"</i></p>"_s;
    m_card->setText(html);
}

ImportWizard* BenchmarksPage::openImportWizard(const QString& path)
{
    auto* wizard = new ImportWizard(m_context, this);
    wizard->setAttribute(Qt::WA_DeleteOnClose);
    if (!path.isEmpty())
        wizard->setFile(path);
    connect(wizard, &ImportWizard::benchmarkAdded, this, &BenchmarksPage::selectWorkspaceBenchmark);
    wizard->open();
    return wizard;
}

TemplateEditor* BenchmarksPage::openTemplateEditor(int workspaceIndex)
{
    if (workspaceIndex < 0 || workspaceIndex >= m_context->workspace()->benchmarks().size())
        return nullptr;
    auto* editor = new TemplateEditor(m_context, workspaceIndex, this);
    editor->setAttribute(Qt::WA_DeleteOnClose);
    editor->open();
    return editor;
}

QDialog* BenchmarksPage::openScorerDialog(int workspaceIndex)
{
    if (workspaceIndex < 0 || workspaceIndex >= m_context->workspace()->benchmarks().size())
        return nullptr;
    const BenchmarkSpec spec = m_context->workspace()->benchmarks().at(workspaceIndex);
    auto* dialog = new QDialog(this);
    dialog->setObjectName(u"scorerDialog"_s);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowTitle(tr("Scorer — %1").arg(spec.id));
    auto* editor = new ScorerOptionsEditor(dialog);
    QStringList models;
    for (const ModelSpec& m : m_context->workspace()->models())
        models << m.id;
    editor->setJudgeModels(models);
    editor->setSpec(spec.scorer);
    auto* error = new QLabel(dialog);
    error->setStyleSheet(u"QLabel { color: #c62828; }"_s);
    error->setWordWrap(true);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, dialog);
    auto* layout = new QVBoxLayout(dialog);
    layout->addWidget(editor, 1);
    layout->addWidget(error);
    layout->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::rejected, dialog, &QDialog::reject);
    connect(buttons, &QDialogButtonBox::accepted, dialog, [this, dialog, editor, error, spec, workspaceIndex] {
        const QString problem = editor->validationError();
        if (!problem.isEmpty()) {
            error->setText(problem);
            return;
        }
        BenchmarkSpec changed = spec;
        changed.scorer = editor->spec();
        QString message;
        if (!m_context->workspace()->setBenchmark(workspaceIndex, changed, &message)) {
            error->setText(message);
            return;
        }
        dialog->accept();
    });
    dialog->resize(520, 420);
    dialog->open();
    return dialog;
}

RunLauncher* BenchmarksPage::openRunLauncher()
{
    auto* launcher = new RunLauncher(m_context, this);
    launcher->setAttribute(Qt::WA_DeleteOnClose);
    launcher->open();
    return launcher;
}

void BenchmarksPage::addBundled()
{
    const auto* e = m_model->entry(currentRow());
    if (!e || e->workspaceIndex >= 0)
        return;
    BenchmarkSpec spec = e->spec;
    spec.fewshot.seed = m_context->workspace()->plan().seed;
    const auto& benchmarks = m_context->workspace()->benchmarks();
    const QString stem = spec.id;
    for (int n = 2; std::any_of(benchmarks.begin(), benchmarks.end(), [&](const auto& b) { return b.id == spec.id; });
         ++n)
        spec.id = stem + u'-' + QString::number(n);
    const int index = int(benchmarks.size());
    QString error;
    if (!m_context->workspace()->setBenchmark(index, spec, &error)) {
        QMessageBox::warning(this, tr("Add benchmark"), error);
        return;
    }
    selectWorkspaceBenchmark(index);
}

void BenchmarksPage::removeCurrent()
{
    const int index = currentWorkspaceIndex();
    if (index < 0)
        return;
    const QString id = m_context->workspace()->benchmarks().at(index).id;
    auto* box = new QMessageBox(QMessageBox::Question, tr("Remove benchmark"),
        tr("Remove \"%1\" from the workspace? Its dataset file is kept.").arg(id),
        QMessageBox::Yes | QMessageBox::Cancel, this);
    box->setObjectName(u"removeBenchmarkConfirm"_s);
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(box, &QMessageBox::finished, this, [this, index, id](int result) {
        const auto& benchmarks = m_context->workspace()->benchmarks();
        if (result == QMessageBox::Yes && index < benchmarks.size() && benchmarks.at(index).id == id)
            m_context->workspace()->removeBenchmark(index);
    });
    box->open();
}

void BenchmarksPage::dragEnterEvent(QDragEnterEvent* event)
{
    const QList<QUrl> urls = event->mimeData()->urls();
    if (urls.size() == 1 && urls.first().isLocalFile() && ImportWizard::isDatasetFile(urls.first().toLocalFile()))
        event->acceptProposedAction();
}

void BenchmarksPage::dropEvent(QDropEvent* event)
{
    const QList<QUrl> urls = event->mimeData()->urls();
    if (urls.size() != 1 || !urls.first().isLocalFile())
        return;
    event->acceptProposedAction();
    openImportWizard(urls.first().toLocalFile());
}

} // namespace evs

#include "benchmarkspage.moc"
