#pragma once

#include <QHash>
#include <QObject>
#include <QString>

#include <optional>

namespace evs {

// API keys for `keychain:NAME` references (docs/architecture.md section 7): the OS keychain through QtKeychain (service
// "evalsandbox", key NAME) where one is available; otherwise the environment variable NAME stands in, so that a
// reference still resolves on a machine without a secret service. Keys never go to the workspace, the store,
// settings or logs. Lives on the GUI thread; keychain calls are asynchronous underneath and waited for with a bound.
class SecretStore : public QObject {
    Q_OBJECT
public:
    enum class Backend {
        Keychain, // the OS keychain (QtKeychain)
        Memory, // a process-local map: tests, and nothing is persisted
        None, // no keychain: only environment variables
    };

    static constexpr const char* serviceName = "evalsandbox";

    explicit SecretStore(Backend backend = Backend::Keychain, QObject* parent = nullptr);

    Backend backend() const { return m_backend; }

    // Starts finding out whether the keychain answers (once); availabilityKnown() follows.
    void probe();
    // nullopt while the probe is running or not started.
    std::optional<bool> availability() const { return m_available; }
    // Waits for the probe (bounded) and tells whether keys can be stored.
    bool isAvailable();
    // Why keys cannot be stored here (empty when they can).
    QString unavailableReason() const { return m_reason; }

    // Stores secret under name. False with error when there is no keychain or it refused.
    bool store(const QString& name, const QString& secret, QString* error);
    bool remove(const QString& name);
    // The keychain's secret for name when there is one, else the environment variable name; nullopt when neither.
    std::optional<QString> lookup(const QString& name);

    // True for names usable both as keychain keys and environment variables: [A-Za-z_][A-Za-z0-9_]*.
    static bool isValidName(const QString& name);

Q_SIGNALS:
    void availabilityKnown(bool available);

private:
    std::optional<QString> readKeychain(const QString& name, QString* error);
    void setAvailability(bool available, const QString& reason);

    Backend m_backend;
    std::optional<bool> m_available;
    bool m_probing = false;
    QString m_reason;
    QHash<QString, QString> m_memory;
};

} // namespace evs
