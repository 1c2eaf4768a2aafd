#include "ui/modeleditor.h"

#include "app/providers/provider.h"
#include "models/plan/planparser.h"
#include "ui/appcontext.h"
#include "ui/secretstore.h"
#include "ui/workspace.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFontDatabase>
#include <QFormLayout>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QSpinBox>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace evs {

namespace {

const QStringList faultNames { u"http_429"_s, u"http_5xx"_s, u"stall"_s, u"reset"_s, u"malformed"_s, u"truncated"_s };

QSpinBox* intSpin(const QString& name, int min, int max, const QString& suffix = {}, const QString& special = {})
{
    auto* s = new QSpinBox;
    s->setObjectName(name);
    s->setRange(min, max);
    s->setSuffix(suffix);
    s->setSpecialValueText(special);
    s->setAccelerated(true);
    return s;
}

QDoubleSpinBox* doubleSpin(
    const QString& name, double min, double max, int decimals, const QString& suffix = {}, const QString& special = {})
{
    auto* s = new QDoubleSpinBox;
    s->setObjectName(name);
    s->setRange(min, max);
    s->setDecimals(decimals);
    s->setSuffix(suffix);
    s->setSpecialValueText(special);
    s->setAccelerated(true);
    return s;
}

QFormLayout* formIn(QGroupBox* box)
{
    auto* f = new QFormLayout(box);
    f->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    return f;
}

} // namespace

ModelEditor::ModelEditor(AppContext* context, SecretStore* secrets, QWidget* parent)
    : QWidget(parent)
    , m_context(context)
    , m_secrets(secrets)
    , m_tester(new ConnectionTester(this))
{
    setObjectName(u"modelEditor"_s);
    build();
    connect(m_tester, &ConnectionTester::finished, this, &ModelEditor::showTestResult);
    connect(m_secrets, &SecretStore::availabilityKnown, this, &ModelEditor::updateKeyWidgets);
    m_secrets->probe();
}

ModelEditor::~ModelEditor() = default;

QString ModelEditor::suggestedKeyName(const QString& modelId)
{
    QString name;
    for (const QChar c : modelId.toUpper())
        name += (c.isLetterOrNumber() && c.unicode() < 128) ? c : u'_';
    if (name.isEmpty() || name.front().isDigit())
        name.prepend(u"KEY_"_s);
    return name + u"_API_KEY"_s;
}

void ModelEditor::build()
{
    m_title = new QLabel;
    m_title->setObjectName(u"editorTitle"_s);
    QFont titleFont = m_title->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.3);
    titleFont.setBold(true);
    m_title->setFont(titleFont);

    // Endpoint
    auto* endpoint = new QGroupBox(tr("Endpoint"));
    auto* ef = formIn(endpoint);
    m_id = new QLineEdit;
    m_id->setObjectName(u"idEdit"_s);
    m_id->setToolTip(tr("The plan's name for this model: unique in the workspace, shown in runs and reports."));
    ef->addRow(tr("&Id:"), m_id);
    m_provider = new QComboBox;
    m_provider->setObjectName(u"providerCombo"_s);
    m_provider->addItems(Provider::names());
    m_provider->setToolTip(tr("The API family: openai (chat completions, also vLLM, llama.cpp, TGI), "
                              "openai-completions, anthropic (Messages), ollama, or the built-in simulator."));
    ef->addRow(tr("&Provider:"), m_provider);
    m_baseUrl = new QLineEdit;
    m_baseUrl->setObjectName(u"baseUrlEdit"_s);
    ef->addRow(tr("&Base URL:"), m_baseUrl);
    m_model = new QLineEdit;
    m_model->setObjectName(u"modelEdit"_s);
    m_model->setToolTip(tr("The model id the server expects in its requests."));
    ef->addRow(tr("&Model:"), m_model);

    // API key
    auto* keyBox = new QGroupBox(tr("API key"));
    auto* kf = formIn(keyBox);
    m_keySource = new QComboBox;
    m_keySource->setObjectName(u"keySourceCombo"_s);
    m_keySource->addItem(tr("No key"), int(KeySource::None));
    m_keySource->addItem(tr("OS keychain"), int(KeySource::Keychain));
    m_keySource->addItem(tr("Environment variable"), int(KeySource::Environment));
    kf->addRow(tr("Stored in:"), m_keySource);
    m_keyName = new QLineEdit;
    m_keyName->setObjectName(u"keyNameEdit"_s);
    m_keyName->setToolTip(tr("The key's name in the keychain, or the environment variable that holds it. The "
                             "workspace keeps only this reference, never the key."));
    kf->addRow(tr("&Name:"), m_keyName);
    m_apiKey = new QLineEdit;
    m_apiKey->setObjectName(u"apiKeyEdit"_s);
    m_apiKey->setEchoMode(QLineEdit::Password);
    m_apiKey->setClearButtonEnabled(true);
    m_apiKey->setPlaceholderText(tr("paste a key to store it in the keychain (kept as is when left empty)"));
    kf->addRow(tr("&Key:"), m_apiKey);
    m_keyNotice = new QLabel;
    m_keyNotice->setObjectName(u"keyNotice"_s);
    m_keyNotice->setWordWrap(true);
    m_keyNotice->setTextInteractionFlags(Qt::TextSelectableByMouse);
    kf->addRow(m_keyNotice);

    // Request
    auto* request = new QGroupBox(tr("Request"));
    auto* rf = formIn(request);
    m_params = new QPlainTextEdit;
    m_params->setObjectName(u"paramsEdit"_s);
    m_params->setTabChangesFocus(true);
    m_params->setPlaceholderText(u"{ \"temperature\": 0, \"max_tokens\": 256 }"_s);
    m_params->setToolTip(tr("A JSON object sent to the server as it is, merged into each request body "
                            "(your values win)."));
    m_params->setFixedHeight(m_params->fontMetrics().lineSpacing() * 5 + 12);
    m_params->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    rf->addRow(tr("P&arameters:"), m_params);
    m_paramsError = new QLabel;
    m_paramsError->setObjectName(u"paramsError"_s);
    m_paramsError->setWordWrap(true);
    rf->addRow(m_paramsError);
    m_stream = new QCheckBox(tr("Stream the response (needed for TTFT and ITL)"));
    m_stream->setObjectName(u"streamCheck"_s);
    rf->addRow(m_stream);
    m_http2 = new QCheckBox(tr("HTTP/2 (prior knowledge on http; allowed on https)"));
    m_http2->setObjectName(u"http2Check"_s);
    m_http2->setToolTip(tr("Multiplexes requests over one connection. Against an HTTP/1.1-only server a "
                           "cleartext HTTP/2 request hangs until its timeout."));
    rf->addRow(m_http2);
    m_tlsVerify = new QCheckBox(tr("Verify TLS certificates"));
    m_tlsVerify->setObjectName(u"tlsVerifyCheck"_s);
    m_tlsVerify->setToolTip(tr("Turning this off accepts any certificate: only for test servers you control."));
    rf->addRow(m_tlsVerify);

    // Load
    auto* load = new QGroupBox(tr("Load and limits"));
    auto* lf = formIn(load);
    m_concurrency = intSpin(u"concurrencySpin"_s, 0, 4096, {}, tr("run default"));
    m_concurrency->setToolTip(tr("Requests kept in flight for this model; 0 = the run's default."));
    lf->addRow(tr("&Concurrency:"), m_concurrency);
    m_rpm = doubleSpin(u"rpmSpin"_s, 0, 1e7, 0, tr(" req/min"), tr("unlimited"));
    lf->addRow(tr("Requests per minute:"), m_rpm);
    m_tpm = doubleSpin(u"tpmSpin"_s, 0, 1e10, 0, tr(" tok/min"), tr("unlimited"));
    m_tpm->setToolTip(tr("Tokens per minute, counted as the prompt's estimate plus max_tokens."));
    lf->addRow(tr("Tokens per minute:"), m_tpm);

    // Timeouts, retries, circuit breaker
    auto* timing = new QGroupBox(tr("Timeouts and retries"));
    auto* tf = formIn(timing);
    m_connectTimeout = intSpin(u"connectTimeoutSpin"_s, 100, 600000, tr(" ms"));
    tf->addRow(tr("Connect timeout:"), m_connectTimeout);
    m_timeout = intSpin(u"timeoutSpin"_s, 100, 3600000, tr(" ms"));
    m_timeout->setToolTip(tr("Total time a request may take, first byte sent to last byte received."));
    tf->addRow(tr("Total timeout:"), m_timeout);
    m_idleTimeout = intSpin(u"idleTimeoutSpin"_s, 0, 3600000, tr(" ms"), tr("off"));
    m_idleTimeout->setToolTip(tr("Longest silence allowed while a response is being received."));
    tf->addRow(tr("Idle timeout:"), m_idleTimeout);
    m_maxAttempts = intSpin(u"maxAttemptsSpin"_s, 1, 100);
    m_maxAttempts->setToolTip(tr("Total attempts per request, the first one included."));
    tf->addRow(tr("Attempts:"), m_maxAttempts);
    m_retryBase = intSpin(u"retryBaseSpin"_s, 0, 600000, tr(" ms"));
    m_retryBase->setToolTip(tr("Exponential backoff with jitter starts here; Retry-After headers are honoured."));
    tf->addRow(tr("Backoff base:"), m_retryBase);
    m_retryMax = intSpin(u"retryMaxSpin"_s, 0, 3600000, tr(" ms"));
    tf->addRow(tr("Backoff max:"), m_retryMax);
    m_breakerThreshold = intSpin(u"breakerThresholdSpin"_s, 1, 100000);
    m_breakerThreshold->setToolTip(tr("Consecutive failed attempts that open the circuit breaker."));
    tf->addRow(tr("Breaker opens after:"), m_breakerThreshold);
    m_breakerCooldown = intSpin(u"breakerCooldownSpin"_s, 0, 3600000, tr(" ms"));
    m_breakerCooldown->setToolTip(tr("How long the breaker stays open before one probe request is let through."));
    tf->addRow(tr("Breaker cool-down:"), m_breakerCooldown);

    // Price
    auto* price = new QGroupBox(tr("Price"));
    auto* pf = formIn(price);
    m_priceInput = doubleSpin(u"priceInputSpin"_s, 0, 100000, 4, tr(" $ / 1M tokens"));
    pf->addRow(tr("Input:"), m_priceInput);
    m_priceOutput = doubleSpin(u"priceOutputSpin"_s, 0, 100000, 4, tr(" $ / 1M tokens"));
    pf->addRow(tr("Output:"), m_priceOutput);

    // Simulator
    m_simulatorGroup = new QGroupBox(tr("Simulated endpoint"));
    m_simulatorGroup->setObjectName(u"simulatorGroup"_s);
    auto* sf = formIn(m_simulatorGroup);
    m_simAccuracy = doubleSpin(u"simAccuracySpin"_s, 0, 1, 3);
    m_simAccuracy->setSingleStep(0.05);
    m_simAccuracy->setToolTip(tr("Probability of a correct answer, decided by hashing the sample."));
    sf->addRow(tr("Accuracy:"), m_simAccuracy);
    m_simLatency = doubleSpin(u"simLatencySpin"_s, 0, 600000, 1, tr(" ms"));
    m_simLatency->setToolTip(tr("Median time to first token."));
    sf->addRow(tr("Latency (median):"), m_simLatency);
    m_simTail = doubleSpin(u"simTailSpin"_s, 0, 600000, 1, tr(" ms"));
    m_simTail->setToolTip(tr("p99 time to first token."));
    sf->addRow(tr("Latency (p99):"), m_simTail);
    m_simToken = doubleSpin(u"simTokenSpin"_s, 0, 10000, 2, tr(" ms"));
    sf->addRow(tr("Per token:"), m_simToken);
    m_simOutputTokens = intSpin(u"simOutputTokensSpin"_s, 0, 1000000, {}, tr("natural answer"));
    sf->addRow(tr("Output tokens:"), m_simOutputTokens);
    m_simRetryAfter = intSpin(u"simRetryAfterSpin"_s, 0, 3600, tr(" s"));
    sf->addRow(tr("Retry-After on 429:"), m_simRetryAfter);
    m_simStall = intSpin(u"simStallSpin"_s, 0, 3600000, tr(" ms"));
    sf->addRow(tr("Stall length:"), m_simStall);
    auto* faults = new QGridLayout;
    for (int i = 0; i < faultNames.size(); ++i) {
        auto* s = doubleSpin(u"simFault_"_s + faultNames[i], 0, 1, 3);
        s->setSingleStep(0.01);
        s->setToolTip(tr("Probability per request of an injected %1 fault.").arg(faultNames[i]));
        m_simFaults.insert(faultNames[i], s);
        faults->addWidget(new QLabel(faultNames[i] + u':'), i / 2, (i % 2) * 2);
        faults->addWidget(s, i / 2, (i % 2) * 2 + 1);
    }
    sf->addRow(tr("Faults:"), faults);

    // Connection test
    auto* test = new QGroupBox(tr("Connection"));
    auto* testLayout = new QVBoxLayout(test);
    m_testButton = new QPushButton(tr("&Test connection"));
    m_testButton->setObjectName(u"testButton"_s);
    m_testButton->setShortcut(QKeySequence(u"Ctrl+T"_s));
    m_testButton->setToolTip(tr("Lists the server's models and sends one one-token request (Ctrl+T)."));
    m_testStatus = new QLabel(tr("Not tested yet."));
    m_testStatus->setObjectName(u"testStatus"_s);
    m_testStatus->setWordWrap(true);
    m_testStatus->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_testStatus->setProperty("httpStatus", 0);
    m_testModels = new QListWidget;
    m_testModels->setObjectName(u"testModels"_s);
    m_testModels->setMaximumHeight(m_testModels->fontMetrics().lineSpacing() * 4 + 8);
    m_testModels->setToolTip(tr("The models the server lists"));
    auto* testRow = new QHBoxLayout;
    testRow->addWidget(m_testButton, 0, Qt::AlignTop);
    testRow->addWidget(m_testStatus, 1);
    testLayout->addLayout(testRow);
    testLayout->addWidget(m_testModels);

    // Two columns of groups in a scroll area, the buttons below: what identifies the endpoint on the left, how it
    // is driven on the right.
    auto* content = new QWidget;
    auto* columns = new QGridLayout(content);
    auto* left = new QVBoxLayout;
    for (QWidget* w : { static_cast<QWidget*>(endpoint), static_cast<QWidget*>(keyBox), static_cast<QWidget*>(request),
             static_cast<QWidget*>(test) })
        left->addWidget(w);
    left->addStretch(1);
    auto* right = new QVBoxLayout;
    for (QWidget* w : { static_cast<QWidget*>(load), static_cast<QWidget*>(timing), static_cast<QWidget*>(price),
             static_cast<QWidget*>(m_simulatorGroup) })
        right->addWidget(w);
    right->addStretch(1);
    columns->addWidget(m_title, 0, 0, 1, 2);
    columns->addLayout(left, 1, 0);
    columns->addLayout(right, 1, 1);
    columns->setColumnStretch(0, 3);
    columns->setColumnStretch(1, 2);
    auto* scroll = new QScrollArea;
    scroll->setWidget(content);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);

    m_error = new QLabel;
    m_error->setObjectName(u"errorLabel"_s);
    m_error->setWordWrap(true);
    QFont errorFont = m_error->font();
    errorFont.setBold(true);
    m_error->setFont(errorFont);
    m_applyButton = new QPushButton(tr("&Apply"));
    m_applyButton->setObjectName(u"applyButton"_s);
    m_applyButton->setShortcut(QKeySequence::Save);
    m_applyButton->setToolTip(tr("Save the model to the workspace (Ctrl+S)"));
    m_applyButton->setDefault(true);
    m_revertButton = new QPushButton(tr("&Revert"));
    m_revertButton->setObjectName(u"revertButton"_s);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_error, 1);
    buttons->addWidget(m_revertButton);
    buttons->addWidget(m_applyButton);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(scroll, 1);
    layout->addLayout(buttons);

    connect(m_applyButton, &QPushButton::clicked, this, [this] { apply(); });
    connect(m_revertButton, &QPushButton::clicked, this, &ModelEditor::revert);
    connect(m_testButton, &QPushButton::clicked, this, &ModelEditor::testConnection);
    connect(m_provider, &QComboBox::currentTextChanged, this, &ModelEditor::updateProviderWidgets);
    connect(m_keySource, &QComboBox::currentIndexChanged, this, &ModelEditor::updateKeyWidgets);
    connect(m_params, &QPlainTextEdit::textChanged, this, &ModelEditor::validateParams);

    // Any edit marks the model modified.
    const auto modified = [this] {
        if (!m_loading)
            setModified(true);
    };
    for (auto* e : findChildren<QLineEdit*>()) {
        if (e->parent() && !qobject_cast<QSpinBox*>(e->parent()) && !qobject_cast<QDoubleSpinBox*>(e->parent()))
            connect(e, &QLineEdit::textEdited, this, modified);
    }
    for (auto* c : findChildren<QComboBox*>())
        connect(c, &QComboBox::currentIndexChanged, this, modified);
    for (auto* c : findChildren<QCheckBox*>())
        connect(c, &QCheckBox::toggled, this, modified);
    for (auto* s : findChildren<QSpinBox*>())
        connect(s, &QSpinBox::valueChanged, this, modified);
    for (auto* s : findChildren<QDoubleSpinBox*>())
        connect(s, &QDoubleSpinBox::valueChanged, this, modified);
    connect(m_params, &QPlainTextEdit::textChanged, this, modified);

    setModified(false);
}

bool ModelEditor::isNew() const
{
    return m_index >= m_context->workspace()->models().size();
}

void ModelEditor::editModel(int index)
{
    const auto& models = m_context->workspace()->models();
    if (index < 0 || index > models.size())
        return;
    if (index == models.size()) {
        ModelSpec spec;
        spec.provider = u"openai"_s;
        editNewModel(spec);
        return;
    }
    m_index = index;
    setSpec(models.at(index));
}

void ModelEditor::editNewModel(const ModelSpec& spec)
{
    m_index = int(m_context->workspace()->models().size());
    setSpec(spec);
    setModified(true); // a new model exists only once applied
}

void ModelEditor::setSpec(const ModelSpec& spec)
{
    m_loading = true;
    m_loaded = spec;
    m_title->setText(isNew() ? tr("New model") : spec.id);
    m_id->setText(spec.id);
    int p = m_provider->findText(spec.provider);
    if (p < 0) {
        m_provider->addItem(spec.provider);
        p = m_provider->count() - 1;
    }
    m_provider->setCurrentIndex(p);
    m_baseUrl->setText(spec.baseUrl);
    m_model->setText(spec.model);
    KeySource source = KeySource::None;
    QString keyName;
    if (spec.apiKeyRef.startsWith(u"keychain:"_s)) {
        source = KeySource::Keychain;
        keyName = spec.apiKeyRef.mid(9);
    } else if (spec.apiKeyRef.startsWith(u"env:"_s)) {
        source = KeySource::Environment;
        keyName = spec.apiKeyRef.mid(4);
    }
    m_keySource->setCurrentIndex(m_keySource->findData(int(source)));
    m_keyName->setText(keyName);
    m_apiKey->clear();
    m_params->setPlainText(spec.params.isEmpty()
            ? QString()
            : QString::fromUtf8(QJsonDocument(spec.params).toJson(QJsonDocument::Indented)).trimmed());
    m_stream->setChecked(spec.stream);
    m_http2->setChecked(spec.http2);
    m_tlsVerify->setChecked(spec.tlsVerify);
    m_concurrency->setValue(spec.concurrency);
    m_rpm->setValue(spec.rateLimit.rpm);
    m_tpm->setValue(spec.rateLimit.tpm);
    m_connectTimeout->setValue(spec.connectTimeoutMs);
    m_timeout->setValue(spec.timeoutMs);
    m_idleTimeout->setValue(spec.idleTimeoutMs);
    m_maxAttempts->setValue(spec.retries.maxAttempts);
    m_retryBase->setValue(spec.retries.baseMs);
    m_retryMax->setValue(spec.retries.maxMs);
    m_breakerThreshold->setValue(spec.circuitBreaker.failureThreshold);
    m_breakerCooldown->setValue(spec.circuitBreaker.cooldownMs);
    m_priceInput->setValue(spec.priceInputPerMTok);
    m_priceOutput->setValue(spec.priceOutputPerMTok);
    m_simAccuracy->setValue(spec.simulate.accuracy);
    m_simLatency->setValue(spec.simulate.latencyMs);
    m_simTail->setValue(spec.simulate.tailMs);
    m_simToken->setValue(spec.simulate.tokenMs);
    m_simOutputTokens->setValue(spec.simulate.outputTokens);
    m_simRetryAfter->setValue(spec.simulate.retryAfterS);
    m_simStall->setValue(spec.simulate.stallMs);
    for (auto it = m_simFaults.cbegin(); it != m_simFaults.cend(); ++it)
        it.value()->setValue(spec.simulate.faults.value(it.key(), 0.0));
    m_testStatus->setText(tr("Not tested yet."));
    m_testStatus->setProperty("httpStatus", 0);
    m_testModels->clear();
    m_error->clear();
    m_loading = false;
    updateProviderWidgets();
    updateKeyWidgets();
    validateParams();
    setModified(false);
}

std::optional<ModelSpec> ModelEditor::spec(QString* error) const
{
    ModelSpec s = m_loaded;
    s.id = m_id->text().trimmed();
    s.provider = m_provider->currentText();
    s.baseUrl = m_baseUrl->text().trimmed();
    s.model = m_model->text().trimmed();
    const auto source = KeySource(m_keySource->currentData().toInt());
    const QString keyName = m_keyName->text().trimmed();
    if (source == KeySource::None) {
        s.apiKeyRef.clear();
    } else {
        if (!SecretStore::isValidName(keyName)) {
            *error = tr("the key's name must be letters, digits and _ (e.g. %1)").arg(suggestedKeyName(s.id));
            return std::nullopt;
        }
        s.apiKeyRef = (source == KeySource::Keychain ? u"keychain:"_s : u"env:"_s) + keyName;
    }
    const QString params = m_params->toPlainText().trimmed();
    if (params.isEmpty()) {
        s.params = {};
    } else {
        QJsonParseError pe;
        const QJsonDocument doc = QJsonDocument::fromJson(params.toUtf8(), &pe);
        if (pe.error != QJsonParseError::NoError || !doc.isObject()) {
            *error = tr("parameters: %1")
                         .arg(pe.error != QJsonParseError::NoError ? pe.errorString() : tr("must be a JSON object"));
            return std::nullopt;
        }
        s.params = doc.object();
    }
    s.stream = m_stream->isChecked();
    s.http2 = m_http2->isChecked();
    s.tlsVerify = m_tlsVerify->isChecked();
    s.concurrency = m_concurrency->value();
    s.rateLimit.rpm = m_rpm->value();
    s.rateLimit.tpm = m_tpm->value();
    s.connectTimeoutMs = m_connectTimeout->value();
    s.timeoutMs = m_timeout->value();
    s.idleTimeoutMs = m_idleTimeout->value();
    s.retries.maxAttempts = m_maxAttempts->value();
    s.retries.baseMs = m_retryBase->value();
    s.retries.maxMs = m_retryMax->value();
    s.circuitBreaker.failureThreshold = m_breakerThreshold->value();
    s.circuitBreaker.cooldownMs = m_breakerCooldown->value();
    s.priceInputPerMTok = m_priceInput->value();
    s.priceOutputPerMTok = m_priceOutput->value();
    s.simulate.accuracy = m_simAccuracy->value();
    s.simulate.latencyMs = m_simLatency->value();
    s.simulate.tailMs = m_simTail->value();
    s.simulate.tokenMs = m_simToken->value();
    s.simulate.outputTokens = m_simOutputTokens->value();
    s.simulate.retryAfterS = m_simRetryAfter->value();
    s.simulate.stallMs = m_simStall->value();
    s.simulate.faults.clear();
    for (auto it = m_simFaults.cbegin(); it != m_simFaults.cend(); ++it) {
        if (it.value()->value() > 0)
            s.simulate.faults.insert(it.key(), it.value()->value());
    }
    return s;
}

bool ModelEditor::apply(QString* errorOut)
{
    QString error;
    const auto fail = [&](const QString& e) {
        showError(e);
        if (errorOut)
            *errorOut = e;
        return false;
    };
    auto s = spec(&error);
    if (!s)
        return fail(error);

    Workspace* ws = m_context->workspace();
    // The workspace must stay a valid plan (it is reloaded as one): check the model the way a plan file is checked.
    RunPlan plan = ws->plan();
    if (m_index < plan.models.size())
        plan.models[m_index] = *s;
    else
        plan.models.append(*s);
    PlanError planError;
    if (!PlanParser::parse(PlanParser::toJson(plan), QString(), &planError))
        return fail(planError.field.isEmpty() ? planError.message : planError.field + u": "_s + planError.message);

    // A typed key goes to the keychain, never to the workspace.
    const QString key = m_apiKey->text().trimmed();
    QString notice;
    if (!key.isEmpty() && s->apiKeyRef.startsWith(u"keychain:"_s)) {
        const QString name = s->apiKeyRef.mid(9);
        QString storeError;
        if (m_secrets->store(name, key, &storeError)) {
            notice = tr("The key is stored in the OS keychain as %1.").arg(name);
        } else {
            // Without a keychain the key cannot be kept safely: reference an environment variable instead.
            s->apiKeyRef = u"env:"_s + name;
            notice = tr("The key was not stored: %1. Set the environment variable %2 to the key before starting "
                        "evalsandbox; the model now refers to env:%2.")
                         .arg(storeError, name);
        }
    }
    if (!ws->setModel(m_index, *s, &error))
        return fail(error);
    m_apiKey->clear();
    const int index = m_index;
    setSpec(ws->models().at(index));
    if (!notice.isEmpty())
        m_keyNotice->setText(notice);
    Q_EMIT applied(index);
    return true;
}

void ModelEditor::revert()
{
    if (isNew())
        editNewModel(m_loaded);
    else
        editModel(m_index);
}

void ModelEditor::setModified(bool modified)
{
    m_applyButton->setEnabled(modified);
    m_revertButton->setEnabled(modified && !isNew());
    if (m_modified == modified)
        return;
    m_modified = modified;
    Q_EMIT modifiedChanged(modified);
}

void ModelEditor::updateKeyWidgets()
{
    const auto source = KeySource(m_keySource->currentData().toInt());
    m_keyName->setEnabled(source != KeySource::None);
    m_apiKey->setEnabled(source == KeySource::Keychain);
    if ((source != KeySource::None) && m_keyName->text().isEmpty() && !m_loading)
        m_keyName->setText(suggestedKeyName(m_id->text()));
    const auto available = m_secrets->availability();
    switch (source) {
    case KeySource::None:
        m_keyNotice->setText(tr("Requests are sent without an Authorization header."));
        break;
    case KeySource::Environment:
        m_keyNotice->setText(tr("The key is read from the environment variable when a run starts."));
        break;
    case KeySource::Keychain:
        if (available && !*available)
            m_keyNotice->setText(tr("No OS keychain is available here (%1). Use an environment variable instead: "
                                    "choose \"Environment variable\" and set it before starting evalsandbox.")
                                     .arg(m_secrets->unavailableReason()));
        else
            m_keyNotice->setText(tr("A key typed here is stored in the OS keychain (service \"evalsandbox\") under "
                                    "this name; the workspace keeps only the name."));
        break;
    }
}

void ModelEditor::updateProviderWidgets()
{
    const QString p = m_provider->currentText();
    const bool sim = p == u"simulator"_s;
    m_simulatorGroup->setVisible(sim);
    QString placeholder;
    if (sim)
        placeholder = tr("empty = the built-in simulator on loopback");
    else if (p == u"anthropic"_s)
        placeholder = u"https://api.anthropic.com/v1"_s;
    else if (p == u"ollama"_s)
        placeholder = u"http://127.0.0.1:11434"_s;
    else
        placeholder = u"https://api.openai.com/v1 · http://127.0.0.1:8000/v1"_s;
    m_baseUrl->setPlaceholderText(placeholder);
}

void ModelEditor::validateParams()
{
    const QString text = m_params->toPlainText().trimmed();
    QString message;
    if (!text.isEmpty()) {
        QJsonParseError pe;
        const QJsonDocument doc = QJsonDocument::fromJson(text.toUtf8(), &pe);
        if (pe.error != QJsonParseError::NoError)
            message = tr("Not valid JSON at character %1: %2").arg(pe.offset).arg(pe.errorString());
        else if (!doc.isObject())
            message = tr("Parameters must be a JSON object.");
    }
    m_paramsError->setText(message);
    m_paramsError->setVisible(!message.isEmpty());
}

void ModelEditor::showError(const QString& error)
{
    m_error->setText(error);
}

void ModelEditor::testConnection()
{
    QString error;
    const auto s = spec(&error);
    if (!s) {
        showError(error);
        return;
    }
    QString key = m_apiKey->text().trimmed();
    if (key.isEmpty() && s->apiKeyRef.startsWith(u"env:"_s))
        key = qEnvironmentVariable(s->apiKeyRef.mid(4).toLocal8Bit().constData());
    else if (key.isEmpty() && s->apiKeyRef.startsWith(u"keychain:"_s))
        key = m_secrets->lookup(s->apiKeyRef.mid(9)).value_or(QString());
    m_testModels->clear();
    m_testStatus->setProperty("httpStatus", 0);
    if (!m_tester->start(*s, key, &error)) {
        m_testStatus->setText(tr("Cannot test: %1").arg(error));
        return;
    }
    m_testButton->setEnabled(false);
    m_testStatus->setText(tr("Testing %1…").arg(s->baseUrl.isEmpty() ? tr("the built-in simulator") : s->baseUrl));
}

void ModelEditor::showTestResult(const ConnectionTestResult& r)
{
    m_testButton->setEnabled(true);
    m_testStatus->setProperty("httpStatus", r.status);
    QString text;
    if (r.ok()) {
        text = tr("HTTP %1 · latency %2 ms").arg(r.status).arg(r.latencyMs, 0, 'f', 1);
        if (r.ttftMs >= 0)
            text += tr(" · TTFT %1 ms").arg(r.ttftMs, 0, 'f', 1);
        text += tr(" · answered \"%1\"").arg(r.reply.left(60));
    } else {
        text = r.status > 0 ? tr("HTTP %1: %2").arg(r.status).arg(r.error) : tr("Failed: %1").arg(r.error);
    }
    if (!r.modelsError.isEmpty())
        text += u'\n' + tr("Model list (HTTP %1): %2").arg(r.modelsStatus).arg(r.modelsError);
    else
        text += u'\n' + tr("The server lists %n model(s).", nullptr, int(r.models.size()));
    m_testStatus->setText(text);
    m_testModels->addItems(r.models);
    Q_EMIT connectionTested(r);
}

} // namespace evs
