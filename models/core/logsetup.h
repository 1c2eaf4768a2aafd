#pragma once

#include <QString>

namespace evs {

// spdlog set-up shared by the entry points. The level comes from `level` if given, else EVALSANDBOX_LOG_LEVEL,
// else the default (trace, debug, info, warn, error, critical, off). Nothing logged may carry a secret: keys and
// Authorization headers are never passed to the logger.
bool parseLogLevel(const QString& name, int* level); // spdlog::level::level_enum as int; false if unknown

// The CLI: to stderr. Default level warn, so that the progress line stays readable.
bool setUpStderrLogging(const QString& level, QString* error);

// The desktop app: a rotating file (5 MB x 3) in `folder` (its data folder), default level info.
// Returns the log file's path, or an empty string with error set.
QString setUpFileLogging(const QString& folder, const QString& level, QString* error);

} // namespace evs
