#include "models/core/logsetup.h"

#include <QDir>

#include <spdlog/sinks/rotating_file_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

using namespace Qt::StringLiterals;

namespace evs {

namespace {

bool resolveLevel(
    const QString& requested, spdlog::level::level_enum fallback, spdlog::level::level_enum* out, QString* error)
{
    QString name = requested;
    if (name.isEmpty())
        name = qEnvironmentVariable("EVALSANDBOX_LOG_LEVEL");
    if (name.isEmpty()) {
        *out = fallback;
        return true;
    }
    int level = 0;
    if (!parseLogLevel(name, &level)) {
        if (error)
            *error = u"unknown log level '%1' (trace, debug, info, warn, error, critical, off)"_s.arg(name);
        return false;
    }
    *out = spdlog::level::level_enum(level);
    return true;
}

void install(std::shared_ptr<spdlog::logger> logger, spdlog::level::level_enum level)
{
    logger->set_pattern("%Y-%m-%d %H:%M:%S.%e %^%l%$ [%t] %v");
    logger->set_level(level);
    logger->flush_on(spdlog::level::warn);
    spdlog::set_default_logger(std::move(logger));
}

} // namespace

bool parseLogLevel(const QString& name, int* level)
{
    static const char* const kNames[] = { "trace", "debug", "info", "warn", "error", "critical", "off" };
    const QString lower = name.trimmed().toLower();
    for (int i = 0; i < int(std::size(kNames)); ++i) {
        if (lower == QLatin1StringView(kNames[i]) || (i == 3 && lower == u"warning"_s)) {
            *level = i;
            return true;
        }
    }
    return false;
}

bool setUpStderrLogging(const QString& level, QString* error)
{
    spdlog::level::level_enum lvl;
    if (!resolveLevel(level, spdlog::level::warn, &lvl, error))
        return false;
    spdlog::drop(std::string("evs"));
    install(spdlog::stderr_color_mt(std::string("evs")), lvl);
    return true;
}

QString setUpFileLogging(const QString& folder, const QString& level, QString* error)
{
    spdlog::level::level_enum lvl;
    if (!resolveLevel(level, spdlog::level::info, &lvl, error))
        return {};
    if (!QDir().mkpath(folder)) {
        if (error)
            *error = u"cannot create the log folder %1"_s.arg(folder);
        return {};
    }
    const QString path = QDir(folder).filePath(u"evalsandbox.log"_s);
    try {
        spdlog::drop(std::string("evs"));
        install(spdlog::rotating_logger_mt(std::string("evs"), path.toStdString(), 5 * 1024 * 1024, 3), lvl);
    } catch (const spdlog::spdlog_ex& e) {
        if (error)
            *error = u"cannot open the log file %1: %2"_s.arg(path, QString::fromUtf8(e.what()));
        return {};
    }
    return path;
}

} // namespace evs
