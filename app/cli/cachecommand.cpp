// `evalsandbox-cli cache stats | clear | explain RUN SAMPLE`: the response cache (docs/architecture.md section 5).
#include "app/cli/commands.h"

#include "models/store/responsecache.h"
#include "models/store/resultsstore.h"

#include <QCommandLineParser>
#include <QDateTime>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTextStream>

using namespace Qt::StringLiterals;

namespace evs::cli {

namespace {

enum Exit { ExitOk = 0, ExitToolFailure = 1, ExitUsage = 2 };
constexpr qint64 kDefaultTtlS = 1209600; // the plan's default run.cache_ttl_s

QString storePath(const QCommandLineParser& p)
{
    return p.isSet(u"db"_s) ? p.value(u"db"_s) : ResultsStore::defaultPath();
}

QString when(qint64 unixS, qint64 nowS)
{
    if (unixS <= 0)
        return u"-"_s;
    const qint64 age = nowS - unixS;
    const QString ago = age < 120 ? u"%1 s ago"_s.arg(age)
        : age < 7200              ? u"%1 min ago"_s.arg(age / 60)
        : age < 2 * 86400         ? u"%1 h ago"_s.arg(QString::number(double(age) / 3600, 'f', 1))
                                  : u"%1 days ago"_s.arg(QString::number(double(age) / 86400, 'f', 1));
    return QDateTime::fromSecsSinceEpoch(unixS, Qt::UTC).toString(u"yyyy-MM-dd HH:mm:ss"_s) + u" UTC ("_s + ago + u')';
}

QString bytes(qint64 b)
{
    if (b < 10 * 1024)
        return u"%1 B"_s.arg(b);
    if (b < 10 * 1024 * 1024)
        return u"%1 KiB"_s.arg(QString::number(double(b) / 1024, 'f', 1));
    return u"%1 MiB"_s.arg(QString::number(double(b) / (1024 * 1024), 'f', 1));
}

// The run's TTL from its stored plan (run.cache_ttl_s), else the default.
qint64 runTtl(const RunInfo& run)
{
    const QJsonObject settings = QJsonDocument::fromJson(run.planJson).object().value(u"run"_s).toObject();
    return qint64(settings.value(u"cache_ttl_s"_s).toDouble(double(kDefaultTtlS)));
}

QString planName(const RunInfo& run, const char* list, int index)
{
    const QJsonArray a = QJsonDocument::fromJson(run.planJson).object().value(QLatin1StringView(list)).toArray();
    const QString id = a.at(index).toObject().value(u"id"_s).toString();
    return id.isEmpty() ? u"#%1"_s.arg(index) : id;
}

bool parse(QCommandLineParser& p, const QString& what, const QStringList& args, QString* error)
{
    p.setApplicationDescription(u"evalsandbox-cli cache "_s + what);
    p.addHelpOption();
    p.addOption({ u"db"_s, u"Results store (SQLite file)."_s, u"FILE"_s });
    if (!p.parse(QStringList { u"evalsandbox-cli"_s } + args)) {
        *error = u"cache "_s + what + u": "_s + p.errorText();
        return false;
    }
    return true;
}

bool ttlOption(const QCommandLineParser& p, qint64* ttl, QString* error)
{
    bool ok = true;
    *ttl = p.isSet(u"ttl-s"_s) ? p.value(u"ttl-s"_s).toLongLong(&ok) : kDefaultTtlS;
    if (!ok || *ttl < 0) {
        *error = u"--ttl-s must be a number of seconds >= 0"_s;
        return false;
    }
    return true;
}

int cacheStats(const QStringList& args)
{
    QCommandLineParser p;
    p.addOption({ u"ttl-s"_s, u"Count entries older than this as expired (default 1209600 = 14 days)."_s, u"S"_s });
    p.addOption({ u"json"_s, u"Print the figures as JSON."_s });
    QString error;
    if (!parse(p, u"stats"_s, args, &error))
        return fail(ExitUsage, error);
    if (p.isSet(u"help"_s)) {
        out() << p.helpText();
        return ExitOk;
    }
    qint64 ttl = 0;
    if (!ttlOption(p, &ttl, &error))
        return fail(ExitUsage, u"cache stats: "_s + error);
    const QString db = storePath(p);
    if (!QFile::exists(db))
        return fail(ExitToolFailure, u"no results store at %1"_s.arg(db));
    ResponseCache cache;
    if (!cache.open(db, &error))
        return fail(ExitToolFailure, error);
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    const CacheStats st = cache.stats(now, ttl);
    const auto runs = cache.recentRuns(10);
    if (p.isSet(u"json"_s)) {
        QJsonArray list;
        for (const auto& r : runs) {
            list.append(QJsonObject {
                { u"run_id"_s, r.runId }, { u"name"_s, r.runName }, { u"hits"_s, r.hits }, { u"misses"_s, r.misses } });
        }
        out() << QJsonDocument(QJsonObject { { u"entries"_s, st.entries }, { u"bytes"_s, st.bytes },
                                   { u"oldest_unix_s"_s, st.oldestS }, { u"newest_unix_s"_s, st.newestS },
                                   { u"expired"_s, st.expired }, { u"ttl_s"_s, ttl }, { u"recent_runs"_s, list } })
                     .toJson(QJsonDocument::Indented);
        return ExitOk;
    }
    out() << "Response cache in " << db << '\n';
    out() << "  entries   " << st.entries << '\n';
    out() << "  size      " << bytes(st.bytes) << " (requests and responses)\n";
    out() << "  oldest    " << when(st.oldestS, now) << '\n';
    out() << "  newest    " << when(st.newestS, now) << '\n';
    out() << "  expired   " << st.expired << " (older than " << ttl << " s; `cache clear --expired` deletes them)\n";
    if (runs.isEmpty()) {
        out() << "No run has used the cache yet.\n";
    } else {
        out() << "Recent runs that used the cache:\n";
        out() << QString(u"  %1  %2  %3  %4  %5"_s)
                     .arg(u"RUN"_s, 5)
                     .arg(u"HITS"_s, 8)
                     .arg(u"MISSES"_s, 8)
                     .arg(u"HIT RATE"_s, 8)
                     .arg(u"NAME"_s)
              << '\n';
        for (const auto& r : runs) {
            const double rate = r.hits + r.misses > 0 ? 100.0 * double(r.hits) / double(r.hits + r.misses) : 0;
            out() << QString(u"  %1  %2  %3  %4  %5"_s)
                         .arg(r.runId, 5)
                         .arg(r.hits, 8)
                         .arg(r.misses, 8)
                         .arg(QString::number(rate, 'f', 1) + u'%', 8)
                         .arg(r.runName)
                  << '\n';
        }
    }
    out().flush();
    return ExitOk;
}

int cacheClear(const QStringList& args)
{
    QCommandLineParser p;
    p.addOption({ u"expired"_s, u"Delete only entries older than the TTL."_s });
    p.addOption({ u"ttl-s"_s, u"The TTL for --expired (default 1209600 = 14 days)."_s, u"S"_s });
    QString error;
    if (!parse(p, u"clear"_s, args, &error))
        return fail(ExitUsage, error);
    if (p.isSet(u"help"_s)) {
        out() << p.helpText();
        return ExitOk;
    }
    qint64 ttl = 0;
    if (!ttlOption(p, &ttl, &error))
        return fail(ExitUsage, u"cache clear: "_s + error);
    if (p.isSet(u"ttl-s"_s) && !p.isSet(u"expired"_s))
        return fail(ExitUsage, u"cache clear: --ttl-s goes with --expired"_s);
    if (p.isSet(u"expired"_s) && ttl == 0)
        return fail(ExitUsage, u"cache clear: --expired needs a TTL above 0"_s);
    const QString db = storePath(p);
    if (!QFile::exists(db))
        return fail(ExitToolFailure, u"no results store at %1"_s.arg(db));
    ResultsStore store;
    if (!store.open(db, &error))
        return fail(ExitToolFailure, error);
    const auto deleted
        = ResponseCache::clear(store, QDateTime::currentSecsSinceEpoch(), p.isSet(u"expired"_s) ? ttl : 0, &error);
    if (!deleted)
        return fail(ExitToolFailure, error);
    out() << "Deleted " << *deleted << (p.isSet(u"expired"_s) ? " expired" : "") << " cache entries from " << db
          << Qt::endl;
    return ExitOk;
}

int cacheExplain(const QStringList& args)
{
    QCommandLineParser p;
    p.addPositionalArgument(u"run"_s, u"The run id (see `runs`)."_s);
    p.addPositionalArgument(u"sample"_s, u"The sample's id in its dataset, or its index."_s);
    QString error;
    if (!parse(p, u"explain"_s, args, &error))
        return fail(ExitUsage, error);
    if (p.isSet(u"help"_s)) {
        out() << p.helpText();
        return ExitOk;
    }
    bool ok = false;
    const qint64 runId = p.positionalArguments().value(0).toLongLong(&ok);
    if (p.positionalArguments().size() != 2 || !ok)
        return fail(
            ExitUsage, u"cache explain: expected a run id and a sample (evalsandbox-cli cache explain RUN SAMPLE)"_s);
    const QString sample = p.positionalArguments().at(1);
    const QString db = storePath(p);
    if (!QFile::exists(db))
        return fail(ExitToolFailure, u"no results store at %1"_s.arg(db));
    ResultsStore store;
    if (!store.open(db, &error))
        return fail(ExitToolFailure, error);
    const auto run = store.run(runId);
    if (!run)
        return fail(ExitUsage, u"cache explain: no run %1 in %2"_s.arg(runId).arg(db));
    ResponseCache cache;
    if (!cache.open(db, &error))
        return fail(ExitToolFailure, error);
    const auto records = cache.recordsOfSample(runId, sample);
    if (records.isEmpty())
        return fail(ExitUsage,
            u"cache explain: run %1 has no record of sample \"%2\" (an id or an index)"_s.arg(runId).arg(sample));
    const qint64 ttl = runTtl(*run);
    const qint64 start = run->startedAt.toSecsSinceEpoch();
    out() << "Run " << runId << " (" << run->name << "), sample " << sample << ", cache TTL "
          << (ttl > 0 ? QString::number(ttl) + u" s"_s : u"none"_s) << '\n';
    for (const auto& r : records) {
        const CacheExplanation e = cache.explain(runId, r.cached, r.key, r.ok, start, ttl);
        out() << "  " << planName(*run, "models", r.modelIndex) << " / "
              << planName(*run, "benchmarks", r.benchmarkIndex) << "  sample " << r.sampleIndex;
        if (!r.sampleId.isEmpty() && r.sampleId != QString::number(r.sampleIndex))
            out() << " (" << r.sampleId << ')';
        out() << "  repeat " << r.repeat << ": " << e.text << '\n';
        if (!r.key.isEmpty())
            out() << "      key " << r.key << '\n';
    }
    out().flush();
    return ExitOk;
}

} // namespace

int cmdCache(const QStringList& args)
{
    const QString usage = u"cache: expected stats, clear or explain (evalsandbox-cli cache stats|clear|explain ...)"_s;
    if (args.isEmpty())
        return fail(ExitUsage, usage);
    const QString sub = args.constFirst();
    if (sub == u"stats"_s)
        return cacheStats(args.mid(1));
    if (sub == u"clear"_s)
        return cacheClear(args.mid(1));
    if (sub == u"explain"_s)
        return cacheExplain(args.mid(1));
    if (sub == u"--help"_s || sub == u"-h"_s || sub == u"help"_s) {
        out() << "Usage: evalsandbox-cli cache stats [--db FILE] [--ttl-s S] [--json]\n"
                 "       evalsandbox-cli cache clear [--expired [--ttl-s S]] [--db FILE]\n"
                 "       evalsandbox-cli cache explain RUN SAMPLE [--db FILE]\n";
        out().flush();
        return ExitOk;
    }
    return fail(ExitUsage, u"unknown cache command '%1'; "_s.arg(sub) + usage);
}

} // namespace evs::cli
