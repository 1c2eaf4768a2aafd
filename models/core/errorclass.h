#pragma once

#include <QString>
#include <QStringView>

namespace evs {

// How an attempt ended (docs/metrics.md, Errors: rate and classes). None = success.
enum class ErrorClass : quint8 { None = 0, Timeout, Connect, Tls, Http4xx, Http429, Http5xx, Parse, Canceled, Count };

QString errorClassName(ErrorClass c); // "timeout", "http_429", ...; "" for None
ErrorClass errorClassFromName(QStringView name); // None for unknown names
ErrorClass errorClassForHttpStatus(int status); // None for 2xx/3xx

} // namespace evs
