#include "ui/templateeditor.h"

#include "app/benchmarks/promptrenderer.h"
#include "app/benchmarks/samplesource.h"
#include "ui/appcontext.h"
#include "ui/backgroundloader.h"
#include "ui/workspace.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QFormLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QSplitter>
#include <QThread>
#include <QTimer>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace evs {

namespace {

TemplateEditor::Loaded readSamples(BenchmarkSpec spec)
{
    spec.limit = TemplateEditor::kSampleCount;
    TemplateEditor::Loaded loaded;
    auto source = SampleSource::open(spec, &loaded.error);
    if (!source)
        return loaded;
    Sample s;
    while (source->next(&s))
        loaded.samples << s;
    if (loaded.samples.isEmpty())
        loaded.error
            = source->error().isEmpty() ? TemplateEditor::tr("the dataset has no good sample") : source->error();
    return loaded;
}

TemplateEditor::Rendered renderSample(const BenchmarkSpec& spec, const Sample& sample)
{
    TemplateEditor::Rendered r;
    const PromptRenderer renderer(spec);
    QString error;
    if (!renderer.isValid(&error)) {
        r.error = error;
        return r;
    }
    if (!renderer.checkSample(sample, &error))
        r.error = error; // still rendered: the unknown placeholder is left as it is, for the user to see
    const PromptRequest request = renderer.render(sample);
    QStringList parts;
    for (const ChatMessage& m : request.messages)
        parts << u"── "_s + m.role + u" ──\n"_s + m.content;
    r.text = parts.join(u"\n\n"_s);
    return r;
}

} // namespace

// The first samples of the benchmark's dataset, read once when the editor opens.
class TemplateSamplesLoader : public BackgroundLoader {
    Q_OBJECT
public:
    using BackgroundLoader::BackgroundLoader;

    void load(const BenchmarkSpec& spec)
    {
        start([spec](QString*) { return readSamples(spec); },
            [this](const TemplateEditor::Loaded& loaded) { Q_EMIT this->loaded(loaded); });
    }

Q_SIGNALS:
    void loaded(const evs::TemplateEditor::Loaded& loaded);
};

// One sample rendered with the template as typed; a newer text drops an older render.
class PromptPreviewLoader : public BackgroundLoader {
    Q_OBJECT
public:
    using BackgroundLoader::BackgroundLoader;

    void render(const BenchmarkSpec& spec, const Sample& sample)
    {
        start([spec, sample](QString*) { return renderSample(spec, sample); },
            [this](const TemplateEditor::Rendered& r) { Q_EMIT rendered(r); });
    }

Q_SIGNALS:
    void rendered(const evs::TemplateEditor::Rendered& rendered);
};

TemplateEditor::TemplateEditor(AppContext* context, int benchmarkIndex, QWidget* parent)
    : QDialog(parent)
    , m_context(context)
    , m_index(benchmarkIndex)
    , m_spec(context->workspace()->benchmarks().value(benchmarkIndex))
    , m_system(new QPlainTextEdit(this))
    , m_template(new QPlainTextEdit(this))
    , m_placeholders(new QComboBox(this))
    , m_sample(new QSpinBox(this))
    , m_rendered(new QPlainTextEdit(this))
    , m_error(new QLabel(this))
    , m_debounce(new QTimer(this))
    , m_samplesLoader(new TemplateSamplesLoader(this))
    , m_previewLoader(new PromptPreviewLoader(this))
{
    setObjectName(u"templateEditor"_s);
    setWindowTitle(tr("Prompt template — %1").arg(m_spec.id));
    setProperty("hasError", false);
    setProperty("renders", 0);
    setProperty("samplesLoaded", 0);

    const QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    m_system->setObjectName(u"systemEdit"_s);
    m_system->setPlainText(m_spec.system);
    m_system->setFont(mono);
    m_system->setTabChangesFocus(true);
    m_system->setPlaceholderText(tr("No system prompt"));
    m_system->setToolTip(tr("The system prompt sent before the question; it may use placeholders too"));
    m_template->setObjectName(u"templateEdit"_s);
    m_template->setPlainText(m_spec.promptTemplate);
    m_template->setFont(mono);
    m_template->setTabChangesFocus(true);
    m_template->setPlaceholderText(tr("Empty: the default template\n%1").arg(PromptRenderer::defaultTemplate(true)));
    m_template->setToolTip(tr("The user message. Placeholders: {{input}} {{choices}} {{target}} {{id}} {{category}}, "
                              "{{KEY}} for any record key; filters after a bar: {{input|trim|upper}} (%1)")
                               .arg(PromptRenderer::filterNames().join(u", "_s)));
    m_placeholders->setObjectName(u"placeholderCombo"_s);
    m_placeholders->setToolTip(tr("Insert a placeholder at the cursor in the template"));
    m_placeholders->addItem(tr("Insert placeholder…"));
    for (const QString& name : { u"input"_s, u"choices"_s, u"target"_s, u"id"_s, u"category"_s })
        m_placeholders->addItem(u"{{"_s + name + u"}}"_s);
    connect(m_placeholders, &QComboBox::activated, this, [this](int index) {
        if (index > 0)
            m_template->insertPlainText(m_placeholders->itemText(index));
        m_placeholders->setCurrentIndex(0);
        m_template->setFocus();
    });
    if (m_spec.messages.size() > 0) {
        m_template->setReadOnly(true);
        m_system->setReadOnly(true);
        m_template->setToolTip(tr("This benchmark uses chat message templates (\"messages\" in the plan file); "
                                  "edit them there"));
    }

    m_sample->setObjectName(u"sampleSpin"_s);
    m_sample->setRange(1, 1);
    m_sample->setPrefix(tr("sample "));
    m_sample->setToolTip(tr("Which of the dataset's first %1 samples is rendered").arg(kSampleCount));
    m_rendered->setObjectName(u"renderedView"_s);
    m_rendered->setReadOnly(true);
    m_rendered->setFont(mono);
    m_rendered->setToolTip(tr("The messages exactly as they will be sent for this sample (few-shot included)"));
    m_error->setObjectName(u"templateErrorLabel"_s);
    m_error->setWordWrap(true);
    m_error->setStyleSheet(u"QLabel { color: #c62828; }"_s);
    m_error->setToolTip(tr("Template errors: syntax, and placeholders this sample does not have"));

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Save)->setObjectName(u"saveTemplateButton"_s);
    buttons->button(QDialogButtonBox::Save)->setToolTip(tr("Save the template to the workspace"));
    connect(buttons, &QDialogButtonBox::accepted, this, &TemplateEditor::save);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto* editors = new QWidget(this);
    auto* form = new QFormLayout(editors);
    form->setContentsMargins(0, 0, 0, 0);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    form->addRow(tr("S&ystem:"), m_system);
    form->addRow(tr("&Template:"), m_template);
    form->addRow(QString(), m_placeholders);
    auto* preview = new QWidget(this);
    auto* previewLayout = new QFormLayout(preview);
    previewLayout->setContentsMargins(0, 0, 0, 0);
    previewLayout->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    previewLayout->addRow(tr("Sa&mple:"), m_sample);
    previewLayout->addRow(tr("Rendered:"), m_rendered);
    auto* splitter = new QSplitter(Qt::Horizontal, this);
    splitter->addWidget(editors);
    splitter->addWidget(preview);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(splitter, 1);
    layout->addWidget(m_error);
    layout->addWidget(buttons);
    resize(960, 560);

    m_debounce->setSingleShot(true);
    m_debounce->setInterval(kDebounceMs);
    connect(m_debounce, &QTimer::timeout, this, &TemplateEditor::render);
    connect(m_system, &QPlainTextEdit::textChanged, this, &TemplateEditor::scheduleRender);
    connect(m_template, &QPlainTextEdit::textChanged, this, &TemplateEditor::scheduleRender);
    connect(m_sample, &QSpinBox::valueChanged, this, &TemplateEditor::render);
    connect(m_previewLoader, &PromptPreviewLoader::rendered, this, &TemplateEditor::showRendered);
    connect(m_samplesLoader, &TemplateSamplesLoader::loaded, this, [this](const Loaded& loaded) {
        m_samples = loaded.samples;
        m_loadError = loaded.error;
        setProperty("samplesLoaded", int(m_samples.size()));
        m_sample->setRange(1, std::max<int>(1, int(m_samples.size())));
        for (const QString& key : m_samples.value(0).record.keys())
            m_placeholders->addItem(u"{{"_s + key + u"}}"_s);
        render();
    });
    loadSamples();
}

TemplateEditor::~TemplateEditor() = default;

void TemplateEditor::loadSamples()
{
    m_rendered->setPlainText(tr("Reading samples…"));
    m_samplesLoader->load(m_spec);
}

BenchmarkSpec TemplateEditor::editedSpec() const
{
    BenchmarkSpec spec = m_spec;
    spec.system = m_system->toPlainText();
    spec.promptTemplate = m_template->toPlainText();
    return spec;
}

void TemplateEditor::scheduleRender()
{
    m_debounce->start();
}

void TemplateEditor::render()
{
    Q_ASSERT(QThread::currentThread() == thread());
    m_debounce->stop();
    if (m_samples.isEmpty()) {
        m_previewLoader->cancel();
        showRendered({ QString(),
            m_loadError.isEmpty() ? tr("No sample to render yet") : tr("Cannot read samples: %1").arg(m_loadError) });
        return;
    }
    m_previewLoader->render(editedSpec(), m_samples.value(m_sample->value() - 1));
}

void TemplateEditor::showRendered(const Rendered& r)
{
    m_rendered->setPlainText(r.text);
    m_error->setText(r.error);
    m_error->setVisible(!r.error.isEmpty());
    setProperty("hasError", !r.error.isEmpty());
    setProperty("renders", property("renders").toInt() + 1);
}

void TemplateEditor::save()
{
    const QString syntax = PromptRenderer::templateError(m_template->toPlainText());
    if (!syntax.isEmpty()) {
        m_error->setText(tr("Not saved: %1").arg(syntax));
        m_error->setVisible(true);
        return;
    }
    QString error;
    if (!m_context->workspace()->setBenchmark(m_index, editedSpec(), &error)) {
        m_error->setText(tr("Not saved: %1").arg(error));
        m_error->setVisible(true);
        return;
    }
    accept();
}

} // namespace evs

#include "templateeditor.moc"
