#include "ui/secretstore.h"

#include <QEventLoop>
#include <QRegularExpression>
#include <QTimer>

#include <qt6keychain/keychain.h>

#include <spdlog/spdlog.h>

using namespace Qt::StringLiterals;

namespace evs {

namespace {

// A keychain that does not answer within this bound counts as absent (a secret service may prompt the user to
// unlock, which can take a while; beyond that the GUI must not look frozen).
constexpr int keychainWaitMs = 15000;
constexpr int probeWaitMs = 3000;

// Runs a started job to completion in a local event loop, bounded.
bool waitForJob(QKeychain::Job* job, int timeoutMs)
{
    QEventLoop loop;
    bool finished = false;
    QObject::connect(job, &QKeychain::Job::finished, &loop, [&] {
        finished = true;
        loop.quit();
    });
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    job->start();
    if (!finished)
        loop.exec(QEventLoop::ExcludeUserInputEvents);
    return finished;
}

} // namespace

SecretStore::SecretStore(Backend backend, QObject* parent)
    : QObject(parent)
    , m_backend(backend)
{
    if (backend == Backend::Memory)
        m_available = true;
    else if (backend == Backend::None)
        setAvailability(false, u"no keychain is configured"_s);
}

bool SecretStore::isValidName(const QString& name)
{
    static const QRegularExpression re(u"^[A-Za-z_][A-Za-z0-9_]*$"_s);
    return re.match(name).hasMatch();
}

void SecretStore::setAvailability(bool available, const QString& reason)
{
    m_available = available;
    m_reason = available ? QString() : reason;
    Q_EMIT availabilityKnown(available);
}

void SecretStore::probe()
{
    if (m_available || m_probing)
        return;
    m_probing = true;
    // Reading a key that is not there tells whether a secret service answers at all.
    auto* job = new QKeychain::ReadPasswordJob(QString::fromLatin1(serviceName), this);
    job->setAutoDelete(true);
    job->setKey(u"evalsandbox-probe"_s);
    connect(job, &QKeychain::Job::finished, this, [this](QKeychain::Job* j) {
        m_probing = false;
        const auto e = j->error();
        if (e == QKeychain::NoError || e == QKeychain::EntryNotFound)
            setAvailability(true, {});
        else
            setAvailability(false, u"the OS keychain is not available (%1)"_s.arg(j->errorString()));
    });
    job->start();
}

bool SecretStore::isAvailable()
{
    if (m_available)
        return *m_available;
    probe();
    QEventLoop loop;
    connect(this, &SecretStore::availabilityKnown, &loop, &QEventLoop::quit);
    QTimer::singleShot(probeWaitMs, &loop, &QEventLoop::quit);
    if (!m_available)
        loop.exec(QEventLoop::ExcludeUserInputEvents);
    if (!m_available)
        setAvailability(false, u"the OS keychain did not answer"_s);
    return *m_available;
}

bool SecretStore::store(const QString& name, const QString& secret, QString* error)
{
    if (!isValidName(name)) {
        *error = u"'%1' is not a valid key name (letters, digits and _)"_s.arg(name);
        return false;
    }
    if (m_backend == Backend::Memory) {
        m_memory.insert(name, secret);
        return true;
    }
    if (!isAvailable()) {
        *error = m_reason;
        return false;
    }
    QKeychain::WritePasswordJob job(QString::fromLatin1(serviceName));
    job.setAutoDelete(false);
    job.setKey(name);
    job.setTextData(secret);
    if (!waitForJob(&job, keychainWaitMs)) {
        *error = u"the OS keychain did not answer"_s;
        return false;
    }
    if (job.error() != QKeychain::NoError) {
        *error = u"the OS keychain refused the key: %1"_s.arg(job.errorString());
        return false;
    }
    spdlog::info("stored the key '{}' in the keychain", name.toStdString());
    return true;
}

bool SecretStore::remove(const QString& name)
{
    if (m_backend == Backend::Memory)
        return m_memory.remove(name) > 0;
    if (!isAvailable())
        return false;
    QKeychain::DeletePasswordJob job(QString::fromLatin1(serviceName));
    job.setAutoDelete(false);
    job.setKey(name);
    return waitForJob(&job, keychainWaitMs) && job.error() == QKeychain::NoError;
}

std::optional<QString> SecretStore::readKeychain(const QString& name, QString* error)
{
    QKeychain::ReadPasswordJob job(QString::fromLatin1(serviceName));
    job.setAutoDelete(false);
    job.setKey(name);
    if (!waitForJob(&job, keychainWaitMs)) {
        *error = u"the OS keychain did not answer"_s;
        return std::nullopt;
    }
    if (job.error() != QKeychain::NoError) {
        *error = job.errorString();
        return std::nullopt;
    }
    return job.textData();
}

std::optional<QString> SecretStore::lookup(const QString& name)
{
    if (m_backend == Backend::Memory) {
        if (auto it = m_memory.constFind(name); it != m_memory.cend())
            return *it;
    } else if (m_backend == Backend::Keychain && isAvailable()) {
        QString error;
        if (auto value = readKeychain(name, &error); value && !value->isEmpty())
            return value;
    }
    if (!isValidName(name))
        return std::nullopt;
    const QString env = qEnvironmentVariable(name.toLocal8Bit().constData());
    if (!env.isEmpty())
        return env;
    return std::nullopt;
}

} // namespace evs
