#include "app/engine/backoff.h"

#include <QDateTime>
#include <QString>

#include <algorithm>
#include <cmath>

namespace evs {

bool isRetryable(ErrorClass c)
{
    switch (c) {
    case ErrorClass::Timeout:
    case ErrorClass::Connect:
    case ErrorClass::Http429:
    case ErrorClass::Http5xx:
    case ErrorClass::Parse:
        return true;
    default:
        return false;
    }
}

qint64 retryDelayMs(const RetryPolicy& policy, int failedAttempts, qint64 retryAfterMs, std::mt19937_64& rng)
{
    const double base = std::max(0, policy.baseMs);
    const double cap = std::max(policy.baseMs, policy.maxMs);
    const double exp = std::min(cap, base * std::pow(2.0, std::max(0, failedAttempts - 1)));
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    const qint64 jittered = qint64(exp / 2 + unit(rng) * exp / 2);
    return std::max(jittered, retryAfterMs);
}

qint64 parseRetryAfterMs(const QByteArray& retryAfter, const QByteArray& retryAfterMs)
{
    bool ok = false;
    if (!retryAfterMs.isEmpty()) {
        const double ms = retryAfterMs.trimmed().toDouble(&ok);
        if (ok && ms >= 0)
            return qint64(ms);
    }
    if (retryAfter.isEmpty())
        return -1;
    const double s = retryAfter.trimmed().toDouble(&ok);
    if (ok && s >= 0)
        return qint64(s * 1000);
    const QDateTime when = QDateTime::fromString(QString::fromLatin1(retryAfter.trimmed()), Qt::RFC2822Date);
    if (when.isValid())
        return std::max<qint64>(0, QDateTime::currentDateTimeUtc().msecsTo(when));
    return -1;
}

} // namespace evs
