#pragma once

#include "models/core/modelspec.h"
#include "ui/connectiontester.h"

#include <QHash>
#include <QWidget>

#include <optional>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QGroupBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;

namespace evs {

class AppContext;
class SecretStore;

// Edits every field of one ModelSpec of the workspace (docs/architecture.md section 8; plan keys in docs/plan.md) and
// tests the connection. A typed API key goes to the OS keychain under the reference's name; the workspace only ever
// holds "keychain:NAME" or "env:NAME". Without a keychain the editor says so and saves an env:NAME reference instead.
//
// Object names: "idEdit", "providerCombo", "baseUrlEdit", "modelEdit", "keySourceCombo", "keyNameEdit",
// "apiKeyEdit", "keyNotice", "paramsEdit", "paramsError", "streamCheck", "http2Check", "tlsVerifyCheck",
// "concurrencySpin", "rpmSpin", "tpmSpin", "connectTimeoutSpin", "timeoutSpin", "idleTimeoutSpin",
// "maxAttemptsSpin", "retryBaseSpin", "retryMaxSpin", "breakerThresholdSpin", "breakerCooldownSpin",
// "priceInputSpin", "priceOutputSpin", "simulatorGroup" with "simAccuracySpin", "simLatencySpin", "simTailSpin",
// "simTokenSpin", "simOutputTokensSpin", "simRetryAfterSpin", "simStallSpin", "simFault_<class>";
// buttons "applyButton", "revertButton", "testButton"; results "testStatus" (int property "httpStatus"),
// "testModels" (the server's model list), "errorLabel".
class ModelEditor : public QWidget {
    Q_OBJECT
public:
    enum class KeySource { None, Keychain, Environment };

    ModelEditor(AppContext* context, SecretStore* secrets, QWidget* parent = nullptr);
    ~ModelEditor() override;

    // Edits the workspace's model at index; index == number of models starts a new one (not saved until applied).
    void editModel(int index);
    void editNewModel(const ModelSpec& spec);
    int modelIndex() const { return m_index; }
    bool isNew() const;
    bool isModified() const { return m_modified; }

    void setSpec(const ModelSpec& spec);
    // The fields as a ModelSpec; nullopt with error when one is invalid (e.g. parameters that are not JSON).
    std::optional<ModelSpec> spec(QString* error) const;

    // Validates the model as a plan would, stores a typed key, saves to the workspace. False with error (also shown).
    bool apply(QString* error = nullptr);
    void revert();
    void testConnection();

    static QString suggestedKeyName(const QString& modelId);

Q_SIGNALS:
    void applied(int index);
    void modifiedChanged(bool modified);
    void connectionTested(const evs::ConnectionTestResult& result);

private:
    void build();
    void setModified(bool modified);
    void updateKeyWidgets();
    void updateProviderWidgets();
    void validateParams();
    void showError(const QString& error);
    void showTestResult(const ConnectionTestResult& result);

    AppContext* m_context;
    SecretStore* m_secrets;
    ConnectionTester* m_tester;
    int m_index = -1;
    bool m_modified = false;
    bool m_loading = false;
    ModelSpec m_loaded;

    QLineEdit* m_id;
    QComboBox* m_provider;
    QLineEdit* m_baseUrl;
    QLineEdit* m_model;
    QComboBox* m_keySource;
    QLineEdit* m_keyName;
    QLineEdit* m_apiKey;
    QLabel* m_keyNotice;
    QPlainTextEdit* m_params;
    QLabel* m_paramsError;
    QCheckBox* m_stream;
    QCheckBox* m_http2;
    QCheckBox* m_tlsVerify;
    QSpinBox* m_concurrency;
    QDoubleSpinBox* m_rpm;
    QDoubleSpinBox* m_tpm;
    QSpinBox* m_connectTimeout;
    QSpinBox* m_timeout;
    QSpinBox* m_idleTimeout;
    QSpinBox* m_maxAttempts;
    QSpinBox* m_retryBase;
    QSpinBox* m_retryMax;
    QSpinBox* m_breakerThreshold;
    QSpinBox* m_breakerCooldown;
    QDoubleSpinBox* m_priceInput;
    QDoubleSpinBox* m_priceOutput;
    QGroupBox* m_simulatorGroup;
    QDoubleSpinBox* m_simAccuracy;
    QDoubleSpinBox* m_simLatency;
    QDoubleSpinBox* m_simTail;
    QDoubleSpinBox* m_simToken;
    QSpinBox* m_simOutputTokens;
    QSpinBox* m_simRetryAfter;
    QSpinBox* m_simStall;
    QHash<QString, QDoubleSpinBox*> m_simFaults;
    QLabel* m_title;
    QLabel* m_error;
    QPushButton* m_applyButton;
    QPushButton* m_revertButton;
    QPushButton* m_testButton;
    QLabel* m_testStatus;
    QListWidget* m_testModels;
};

} // namespace evs
