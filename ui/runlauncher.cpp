#include "ui/runlauncher.h"

#include "ui/appcontext.h"
#include "ui/workspace.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QJsonDocument>
#include <QLabel>
#include <QListWidget>
#include <QLocale>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QTimer>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include <cmath>
#include <limits>

using namespace Qt::StringLiterals;

namespace evs {

namespace {

constexpr int kIdRole = Qt::UserRole;

QStringList checkedIds(const QListWidget* list)
{
    QStringList ids;
    for (int i = 0; i < list->count(); ++i) {
        if (list->item(i)->checkState() == Qt::Checked)
            ids << list->item(i)->data(kIdRole).toString();
    }
    return ids;
}

QString tokens(double n)
{
    const QLocale locale;
    if (n >= 1e6)
        return QLocale().toString(n / 1e6, 'f', 2) + u" M"_s;
    if (n >= 1e4)
        return QLocale().toString(n / 1e3, 'f', 1) + u" k"_s;
    return locale.toString(qint64(std::llround(n)));
}

} // namespace

RunLauncher::RunLauncher(AppContext* context, QWidget* parent)
    : QDialog(parent)
    , m_context(context)
    , m_models(new QListWidget(this))
    , m_benchmarks(new QListWidget(this))
    , m_concurrency(new QSpinBox(this))
    , m_limit(new QSpinBox(this))
    , m_repeats(new QSpinBox(this))
    , m_seed(new QSpinBox(this))
    , m_cache(new QCheckBox(tr("Reuse cached responses"), this))
    , m_requests(new QLabel(this))
    , m_inputTokens(new QLabel(this))
    , m_outputTokens(new QLabel(this))
    , m_cost(new QLabel(this))
    , m_assumptions(new QPlainTextEdit(this))
    , m_error(new QLabel(this))
    , m_start(nullptr)
    , m_debounce(new QTimer(this))
{
    setObjectName(u"runLauncher"_s);
    setWindowTitle(tr("New run"));
    setProperty("estimateReady", false);

    m_models->setObjectName(u"modelList"_s);
    m_models->setToolTip(tr("The models to run; every checked model runs every checked benchmark (Space toggles)"));
    m_benchmarks->setObjectName(u"benchmarkList"_s);
    m_benchmarks->setToolTip(tr("The benchmarks to run on each checked model (Space toggles)"));

    m_concurrency->setObjectName(u"concurrencySpin"_s);
    m_concurrency->setRange(0, 100000);
    m_concurrency->setSpecialValueText(tr("each model's own"));
    m_concurrency->setToolTip(
        tr("Requests in flight at once for each model; at 0, each model keeps its own setting (or "
           "the workspace's default of %1)")
            .arg(context->workspace()->plan().run.concurrency));
    m_limit->setObjectName(u"limitSpin"_s);
    m_limit->setRange(0, 100000000);
    m_limit->setSpecialValueText(tr("each benchmark's own"));
    m_limit->setToolTip(tr("Use only the first N good samples of each benchmark; at 0, each benchmark keeps its own "
                           "limit (none = all samples)"));
    m_repeats->setObjectName(u"repeatsSpin"_s);
    m_repeats->setRange(0, 1000);
    m_repeats->setSpecialValueText(tr("each benchmark's own"));
    m_repeats->setToolTip(tr("Times each sample is asked (for variance and pass@k); at 0, each benchmark keeps its own "
                             "setting"));
    m_seed->setObjectName(u"seedSpin"_s);
    m_seed->setRange(0, std::numeric_limits<int>::max());
    m_seed->setToolTip(tr("Seeds everything random (few-shot draws, simulator answers, jitter), so that a run can be "
                          "repeated"));
    m_cache->setObjectName(u"cacheCheck"_s);
    m_cache->setToolTip(tr("Answer identical requests from the response cache instead of calling the model again"));

    for (QLabel* l : { m_requests, m_inputTokens, m_outputTokens, m_cost })
        l->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_requests->setObjectName(u"estimateRequests"_s);
    m_requests->setToolTip(tr("Requests = models × samples × repeats"));
    m_inputTokens->setObjectName(u"estimateInputTokens"_s);
    m_inputTokens->setToolTip(tr("Input tokens ≈ rendered prompt characters / %1, measured on the first %2 prompts "
                                 "of each benchmark and scaled to its sample count")
                                  .arg(RunEstimate::kCharsPerToken)
                                  .arg(RunEstimate::kPromptSampleSize));
    m_outputTokens->setObjectName(u"estimateOutputTokens"_s);
    m_outputTokens->setToolTip(tr("Output tokens ≤ each model's max_tokens (or %1 when it sets none) per request")
                                   .arg(RunEstimate::kDefaultOutputTokens));
    m_cost->setObjectName(u"estimateCost"_s);
    m_cost->setToolTip(tr("Tokens × each model's price per million input and output tokens"));
    m_assumptions->setObjectName(u"estimateAssumptions"_s);
    m_assumptions->setReadOnly(true);
    m_assumptions->setTabChangesFocus(true);
    m_assumptions->setToolTip(tr("How the estimate was made"));
    m_assumptions->setMinimumHeight(90);
    m_error->setObjectName(u"launcherErrorLabel"_s);
    m_error->setWordWrap(true);
    m_error->setStyleSheet(u"QLabel { color: #c62828; }"_s);
    m_error->setVisible(false);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    m_start = buttons->addButton(tr("&Start run"), QDialogButtonBox::AcceptRole);
    m_start->setObjectName(u"startButton"_s);
    m_start->setToolTip(tr("Start the run; its dashboard shows it live"));
    m_start->setDefault(true);
    connect(buttons, &QDialogButtonBox::accepted, this, &RunLauncher::start);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto* lists = new QHBoxLayout;
    auto* modelsBox = new QGroupBox(tr("&Models"), this);
    (new QVBoxLayout(modelsBox))->addWidget(m_models);
    auto* benchmarksBox = new QGroupBox(tr("&Benchmarks"), this);
    (new QVBoxLayout(benchmarksBox))->addWidget(m_benchmarks);
    lists->addWidget(modelsBox);
    lists->addWidget(benchmarksBox);

    auto* settings = new QGroupBox(tr("Settings"), this);
    auto* form = new QFormLayout(settings);
    form->addRow(tr("&Concurrency:"), m_concurrency);
    form->addRow(tr("Sample &limit:"), m_limit);
    form->addRow(tr("&Repeats:"), m_repeats);
    form->addRow(tr("S&eed:"), m_seed);
    form->addRow(tr("Cache:"), m_cache);

    auto* estimate = new QGroupBox(tr("Estimate"), this);
    auto* grid = new QFormLayout(estimate);
    grid->addRow(tr("Requests:"), m_requests);
    grid->addRow(tr("Input tokens:"), m_inputTokens);
    grid->addRow(tr("Output tokens:"), m_outputTokens);
    grid->addRow(tr("Cost:"), m_cost);
    grid->addRow(m_assumptions);

    auto* lower = new QHBoxLayout;
    lower->addWidget(settings);
    lower->addWidget(estimate, 1);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(lists, 1);
    layout->addLayout(lower);
    layout->addWidget(m_error);
    layout->addWidget(buttons);
    resize(820, 600);

    m_debounce->setSingleShot(true);
    m_debounce->setInterval(100);
    connect(m_debounce, &QTimer::timeout, this, &RunLauncher::updateEstimate);
    connect(&m_watcher, &QFutureWatcher<Measured>::finished, this, [this] {
        if (m_watcher.future().resultCount() == 0)
            return;
        const Measured measured = m_watcher.result();
        for (const auto& [key, benchmark] : measured.benchmarks)
            m_measured.insert(key, benchmark); // valid whatever the generation: keyed by what was measured
        if (measured.generation == m_generation)
            updateEstimate();
    });

    populate();
    restoreSettings();
    for (QListWidget* list : { m_models, m_benchmarks })
        connect(list, &QListWidget::itemChanged, this, &RunLauncher::scheduleEstimate);
    // Only one run at a time: the start button follows the active run.
    connect(m_context, &AppContext::runStarted, this, &RunLauncher::scheduleEstimate);
    connect(m_context, &AppContext::runFinished, this, &RunLauncher::scheduleEstimate);
    for (QSpinBox* spin : { m_concurrency, m_limit, m_repeats, m_seed })
        connect(spin, &QSpinBox::valueChanged, this, &RunLauncher::scheduleEstimate);
    updateEstimate();
}

RunLauncher::~RunLauncher()
{
    m_canceled->store(true);
}

void RunLauncher::populate()
{
    const Workspace* workspace = m_context->workspace();
    for (const ModelSpec& m : workspace->models()) {
        auto* item = new QListWidgetItem(
            m.id + u"  ("_s + m.provider + (m.model.isEmpty() ? QString() : u", "_s + m.model) + u')', m_models);
        item->setData(kIdRole, m.id);
        item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsUserCheckable);
        item->setCheckState(Qt::Checked);
        item->setToolTip(m.baseUrl.isEmpty() ? tr("in-process simulator") : m.baseUrl);
    }
    for (const BenchmarkSpec& b : workspace->benchmarks()) {
        auto* item = new QListWidgetItem(b.id + u"  ("_s + b.scorer.type + u')', m_benchmarks);
        item->setData(kIdRole, b.id);
        item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsUserCheckable);
        item->setCheckState(Qt::Checked);
        item->setToolTip(b.dataset);
    }
    m_seed->setValue(int(std::min<quint64>(workspace->plan().seed, quint64(std::numeric_limits<int>::max()))));
    m_cache->setChecked(workspace->plan().run.cache);
}

void RunLauncher::restoreSettings()
{
    QSettings settings;
    settings.beginGroup(u"runLauncher"_s);
    const auto restoreChecks = [&](QListWidget* list, const QString& key) {
        if (!settings.contains(key))
            return;
        const QStringList ids = settings.value(key).toStringList();
        bool any = false;
        for (int i = 0; i < list->count(); ++i)
            any = any || ids.contains(list->item(i)->data(kIdRole).toString());
        if (!any) // the remembered ones are gone from the workspace: keep everything checked
            return;
        for (int i = 0; i < list->count(); ++i)
            list->item(i)->setCheckState(
                ids.contains(list->item(i)->data(kIdRole).toString()) ? Qt::Checked : Qt::Unchecked);
    };
    restoreChecks(m_models, u"models"_s);
    restoreChecks(m_benchmarks, u"benchmarks"_s);
    m_concurrency->setValue(settings.value(u"concurrency"_s, 0).toInt());
    m_limit->setValue(settings.value(u"limit"_s, 0).toInt());
    m_repeats->setValue(settings.value(u"repeats"_s, 0).toInt());
    if (settings.contains(u"seed"_s))
        m_seed->setValue(settings.value(u"seed"_s).toInt());
    if (settings.contains(u"cache"_s))
        m_cache->setChecked(settings.value(u"cache"_s).toBool());
}

void RunLauncher::saveSettings() const
{
    QSettings settings;
    settings.beginGroup(u"runLauncher"_s);
    settings.setValue(u"models"_s, checkedIds(m_models));
    settings.setValue(u"benchmarks"_s, checkedIds(m_benchmarks));
    settings.setValue(u"concurrency"_s, m_concurrency->value());
    settings.setValue(u"limit"_s, m_limit->value());
    settings.setValue(u"repeats"_s, m_repeats->value());
    settings.setValue(u"seed"_s, m_seed->value());
    settings.setValue(u"cache"_s, m_cache->isChecked());
}

RunPlan RunLauncher::plan() const
{
    const RunPlan& workspacePlan = m_context->workspace()->plan();
    RunPlan p = workspacePlan;
    const QStringList models = checkedIds(m_models);
    const QStringList benchmarks = checkedIds(m_benchmarks);
    p.models.clear();
    for (ModelSpec m : workspacePlan.models) {
        if (!models.contains(m.id))
            continue;
        if (m_concurrency->value() > 0)
            m.concurrency = m_concurrency->value();
        p.models << m;
    }
    p.seed = quint64(m_seed->value());
    p.benchmarks.clear();
    for (BenchmarkSpec b : workspacePlan.benchmarks) {
        if (!benchmarks.contains(b.id))
            continue;
        if (m_limit->value() > 0)
            b.limit = m_limit->value();
        if (m_repeats->value() > 0)
            b.repeats = m_repeats->value();
        b.fewshot.seed = p.seed; // as the plan parser does: few-shot draws follow the run's seed
        p.benchmarks << b;
    }
    p.run.cache = m_cache->isChecked();
    // A threshold naming a model or benchmark left out would refer to nothing.
    p.thresholds.clear();
    for (const Threshold& t : workspacePlan.thresholds) {
        if ((t.model.isEmpty() || models.contains(t.model))
            && (t.benchmark.isEmpty() || benchmarks.contains(t.benchmark)))
            p.thresholds << t;
    }
    return p;
}

QString RunLauncher::measurementKey(const BenchmarkSpec& spec)
{
    // Everything the sample count and the rendered prompts depend on.
    QStringList parts { spec.id, spec.dataset, spec.format,
        QString::fromUtf8(QJsonDocument(spec.fields).toJson(QJsonDocument::Compact)), spec.system, spec.promptTemplate,
        QString::number(spec.limit), QString::number(spec.fewshot.k), spec.fewshot.from,
        QString::number(spec.fewshot.seed) };
    for (const ChatMessage& m : spec.messages)
        parts << m.role << m.content;
    return parts.join(QChar(0x1f));
}

void RunLauncher::scheduleEstimate()
{
    setProperty("estimateReady", false);
    m_debounce->start();
}

void RunLauncher::updateEstimate()
{
    Q_ASSERT(QThread::currentThread() == thread());
    m_debounce->stop();
    const RunPlan p = plan();
    m_start->setEnabled(!p.models.isEmpty() && !p.benchmarks.isEmpty() && !m_context->activeRun());
    QVector<BenchmarkSpec> missing;
    QVector<RunEstimate::Benchmark> measured;
    for (const BenchmarkSpec& b : p.benchmarks) {
        const auto it = m_measured.constFind(measurementKey(b));
        if (it == m_measured.constEnd())
            missing << b;
        else
            measured << *it;
    }
    const quint64 generation = ++m_generation;
    if (!missing.isEmpty()) {
        setProperty("estimateReady", false);
        m_requests->setText(tr("measuring the datasets…"));
        m_watcher.setFuture(QtConcurrent::run([missing, generation, canceled = m_canceled] {
            Measured result;
            result.generation = generation;
            for (const BenchmarkSpec& spec : missing) {
                if (canceled->load())
                    break;
                result.benchmarks.append({ measurementKey(spec),
                    RunEstimate::measure(spec, RunEstimate::kPromptSampleSize, canceled.get()) });
            }
            return result;
        }));
        return;
    }
    m_estimate = RunEstimate::compute(p, measured);
    showEstimate();
}

void RunLauncher::showEstimate()
{
    const QLocale locale;
    const RunEstimate& e = m_estimate;
    m_requests->setText(locale.toString(e.requests));
    m_inputTokens->setText(u"≈ "_s + tokens(e.inputTokens));
    m_outputTokens->setText(u"≤ "_s + tokens(e.outputTokens));
    m_cost->setText(
        e.anyPriced ? u"≈ "_s + locale.toString(e.cost, 'f', e.cost < 1 ? 4 : 2) : tr("0 (no model has a price set)"));
    QStringList lines = e.assumptions;
    for (const QString& error : e.errors)
        lines.prepend(tr("Cannot read %1").arg(error));
    m_assumptions->setPlainText(lines.join(u'\n'));
    setProperty("estimatedRequests", qlonglong(e.requests));
    setProperty("estimatedInputTokens", e.inputTokens);
    setProperty("estimatedOutputTokens", e.outputTokens);
    setProperty("estimatedCost", e.cost);
    setProperty("estimateReady", true);
}

void RunLauncher::setError(const QString& error)
{
    m_error->setText(error);
    m_error->setVisible(!error.isEmpty());
}

bool RunLauncher::start()
{
    const RunPlan p = plan();
    if (p.models.isEmpty() || p.benchmarks.isEmpty()) {
        setError(tr("Check at least one model and one benchmark."));
        return false;
    }
    QString error;
    if (!m_context->startRun(p, &error)) {
        setError(tr("The run could not start: %1").arg(error));
        return false;
    }
    setError({});
    saveSettings();
    accept();
    return true;
}

} // namespace evs
