#include "app/cli/clicommands.h"

#include "app/cli/commands.h"
#include "app/cli/progressprinter.h"
#include "app/engine/runcontroller.h"
#include "app/simulator/simulatorserver.h"
#include "models/core/logsetup.h"
#include "models/plan/planparser.h"
#include "models/stats/runsummary.h"
#include "models/store/resultsstore.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSocketNotifier>
#include <QTextStream>

#include <spdlog/spdlog.h>

#include <csignal>
#include <cstdio>
#include <sys/socket.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace evs::cli {

namespace {

enum Exit { ExitOk = 0, ExitToolFailure = 1, ExitUsage = 2, ExitThresholdFailed = 3, ExitInterrupted = 130 };

QTextStream& err()
{
    static QTextStream s(stderr);
    return s;
}

} // namespace

QTextStream& out()
{
    static QTextStream s(stdout); // one buffered stream for every command, so output never interleaves
    return s;
}

int fail(int status, const QString& message)
{
    err() << "evalsandbox-cli: " << message << Qt::endl;
    return status;
}

namespace {

const char* const kUsage = R"(Usage: evalsandbox-cli [--log-level LEVEL] COMMAND [ARGS]

Commands:
  run PLAN [--db FILE] [--json FILE]   run a plan file; prints progress and a summary per model x benchmark
  run PLAN --dry-run [N]               print the first N (3) requests of each model x benchmark; send nothing
  dataset inspect FILE [--format F] [--fields JSON] [--rows N] [--json]
                                       how a dataset is read: format, field mapping, rendered rows, bad records
  demo [--db FILE] [--json FILE]       run the bundled demo plan against the built-in simulated endpoint
  runs [--db FILE] [--json]            list stored runs
  resume RUN [--db FILE] [--json FILE] complete an interrupted run (only missing samples are sent)
  cache stats|clear [--expired]|explain RUN SAMPLE [--db FILE]
                                       the response cache: size, clearing, why a lookup hit or missed
  rescore RUN --scorer JSON|@FILE [--benchmark ID] [--label TEXT] [--db FILE]
                                       score stored responses again, calling no model; rescore --list RUN
  report RUN --format html|pdf|csv|json|jsonl|md|junit|prom -o FILE [--db FILE]
                                       a report or export of a stored run (- for stdout)
  compare RUN_A RUN_B [more] [--baseline N] [--model ID | --models A,B] [--benchmark ID]
          [--format text|md|json|html] [-o FILE] [--db FILE]
                                       compare runs (or models of one run): deltas, significance, disagreements
  simulate [--port N] [options]        serve the simulated OpenAI-compatible endpoint on 127.0.0.1
  help                                 this text (also: COMMAND --help)

The store defaults to EVALSANDBOX_DB, else the user's data folder. Log level: --log-level or
EVALSANDBOX_LOG_LEVEL (trace, debug, info, warn, error, critical, off; default warn). Logs go to stderr.
Exit status: 0 done, 1 tool failure, 2 bad usage or plan, 3 a threshold failed, 130 interrupted (resumable).
)";

// SIGINT/SIGTERM arrive on a socket pair so that the event loop handles them as ordinary events.
int g_signalFds[2] = { -1, -1 };

void onSignal(int)
{
    const char c = 1;
    [[maybe_unused]] const auto n = ::write(g_signalFds[1], &c, 1);
}

void installSignalHandlers(QObject* context, const std::function<void()>& handler)
{
    if (g_signalFds[0] < 0 && ::socketpair(AF_UNIX, SOCK_STREAM, 0, g_signalFds) != 0)
        return;
    auto* notifier = new QSocketNotifier(g_signalFds[0], QSocketNotifier::Read, context);
    QObject::connect(notifier, &QSocketNotifier::activated, context, [handler] {
        char c;
        [[maybe_unused]] const auto n = ::read(g_signalFds[0], &c, 1);
        handler();
    });
    struct sigaction sa = {};
    sa.sa_handler = onSignal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    sigaction(SIGINT, &sa, nullptr);
    sigaction(SIGTERM, &sa, nullptr);
}

bool writeFile(const QString& path, const QByteArray& data, QString* error)
{
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate) || f.write(data) != data.size() || !f.flush()) {
        *error = u"cannot write %1: %2"_s.arg(path, f.errorString());
        return false;
    }
    return true;
}

void addDbOption(QCommandLineParser& p)
{
    p.addOption({ u"db"_s, u"Results store (SQLite file)."_s, u"FILE"_s });
}

bool parseArgs(QCommandLineParser& p, const QString& command, const QStringList& args, QString* error)
{
    p.setApplicationDescription(u"evalsandbox-cli "_s + command);
    p.addHelpOption();
    if (!p.parse(QStringList { u"evalsandbox-cli"_s } + args)) {
        *error = command % u": "_s % p.errorText();
        return false;
    }
    return true;
}

// Runs a controller to its end with a progress line; returns the exit status.
int driveRun(RunController& controller, const QString& jsonPath)
{
    ProgressPrinter printer(stderr);
    QObject::connect(
        &controller, &RunController::progressed, &controller, [&printer](const RunProgress& p) { printer.update(p); });
    bool interrupted = false;
    installSignalHandlers(&controller, [&] {
        if (!interrupted) {
            interrupted = true;
            err() << "\nevalsandbox-cli: interrupted; stopping (press again to force)" << Qt::endl;
            controller.cancel();
        } else {
            std::_Exit(ExitInterrupted);
        }
    });
    RunStatus finalStatus = RunStatus::Running;
    QObject::connect(&controller, &RunController::runFinished, &controller, [&](RunStatus s) {
        finalStatus = s;
        QCoreApplication::exit(0);
    });
    if (controller.isRunning())
        QCoreApplication::exec();
    printer.finish(controller.progress());

    if (const qint64 bad = controller.badRecordCount()) {
        err() << "evalsandbox-cli: " << bad << " bad dataset records were skipped:" << Qt::endl;
        for (const QString& r : controller.badRecordReports().mid(0, 10))
            err() << "  " << r << Qt::endl;
    }
    switch (finalStatus) {
    case RunStatus::Completed:
        break;
    case RunStatus::Interrupted:
        return fail(ExitInterrupted,
            u"run %1 interrupted; continue it with: evalsandbox-cli resume %1 --db %2"_s.arg(controller.runId())
                .arg(controller.databasePath()));
    default:
        return fail(ExitToolFailure,
            u"run %1 failed: %2 (stored records are kept; resume with: evalsandbox-cli resume %1)"_s
                .arg(controller.runId())
                .arg(controller.failure()));
    }
    const RunSummary& summary = *controller.summary();
    out() << summary.toText() << Qt::flush;
    const ThresholdReport& thresholds = controller.thresholds();
    out() << thresholds.toText();
    out() << u"run %1 stored in %2"_s.arg(controller.runId()).arg(controller.databasePath()) << Qt::endl;
    if (!jsonPath.isEmpty()) {
        QString error;
        QJsonObject json = summary.toJson();
        if (!thresholds.results.isEmpty())
            json.insert(u"thresholds"_s, thresholds.toJson());
        if (!writeFile(jsonPath, QJsonDocument(json).toJson(QJsonDocument::Indented), &error))
            return fail(ExitToolFailure, error);
    }
    if (!thresholds.allPassed())
        return fail(ExitThresholdFailed,
            u"%1 of %2 thresholds failed"_s.arg(thresholds.failedCount()).arg(thresholds.results.size()));
    return ExitOk;
}

int startPlan(const RunPlan& plan, const QString& db, const QString& jsonPath)
{
    RunController controller;
    QString error;
    bool usage = false;
    if (!controller.start(plan, { db, 0 }, &error, &usage))
        return fail(usage ? ExitUsage : ExitToolFailure, error);
    return driveRun(controller, jsonPath);
}

int cmdRun(const QStringList& args)
{
    QCommandLineParser p;
    addDbOption(p);
    p.addOption({ u"json"_s, u"Also write the summary as JSON to FILE."_s, u"FILE"_s });
    p.addPositionalArgument(u"plan"_s, u"The plan file (JSON)."_s);
    p.addOption({ u"dry-run"_s, u"Print the first N (default 3) requests of each model x benchmark; send nothing."_s });
    QString error;
    if (!parseArgs(p, u"run"_s, args, &error))
        return fail(ExitUsage, error);
    if (p.isSet(u"help"_s)) {
        out() << p.helpText();
        return ExitOk;
    }
    if (p.isSet(u"dry-run"_s) && !p.positionalArguments().isEmpty())
        return runDryRun(p.positionalArguments().constFirst(), p.positionalArguments().mid(1));
    if (p.positionalArguments().size() != 1)
        return fail(ExitUsage, u"run: expected one plan file (evalsandbox-cli run PLAN)"_s);
    const QString planPath = p.positionalArguments().constFirst();
    PlanError planError;
    const auto plan = PlanParser::parseFile(planPath, &planError);
    if (!plan)
        return fail(ExitUsage, planError.toString(planPath));
    return startPlan(*plan, p.value(u"db"_s), p.value(u"json"_s));
}

int cmdDemo(const QStringList& args)
{
    QCommandLineParser p;
    addDbOption(p);
    p.addOption({ u"json"_s, u"Also write the summary as JSON to FILE."_s, u"FILE"_s });
    QString error;
    if (!parseArgs(p, u"demo"_s, args, &error))
        return fail(ExitUsage, error);
    if (p.isSet(u"help"_s)) {
        out() << p.helpText();
        return ExitOk;
    }
    QFile f(u":/plans/demo.json"_s);
    if (!f.open(QIODevice::ReadOnly))
        return fail(ExitToolFailure, u"the bundled demo plan is missing from this build"_s);
    PlanError planError;
    const auto plan = PlanParser::parse(f.readAll(), QString(), &planError);
    if (!plan)
        return fail(ExitToolFailure, planError.toString(u"demo.json"_s));
    err() << "Running the demo plan '" << plan->name << "' against the built-in simulated endpoint" << Qt::endl;
    return startPlan(*plan, p.value(u"db"_s), p.value(u"json"_s));
}

int cmdResume(const QStringList& args)
{
    QCommandLineParser p;
    addDbOption(p);
    p.addOption({ u"json"_s, u"Also write the summary as JSON to FILE."_s, u"FILE"_s });
    p.addPositionalArgument(u"run"_s, u"The run id (see `runs`)."_s);
    QString error;
    if (!parseArgs(p, u"resume"_s, args, &error))
        return fail(ExitUsage, error);
    if (p.isSet(u"help"_s)) {
        out() << p.helpText();
        return ExitOk;
    }
    bool ok = false;
    const qint64 runId = p.positionalArguments().value(0).toLongLong(&ok);
    if (p.positionalArguments().size() != 1 || !ok)
        return fail(ExitUsage, u"resume: expected one run id (evalsandbox-cli resume RUN)"_s);
    RunController controller;
    bool usage = false;
    if (!controller.resumeRun(runId, { p.value(u"db"_s), 0 }, &error, &usage))
        return fail(usage ? ExitUsage : ExitToolFailure, error);
    return driveRun(controller, p.value(u"json"_s));
}

int cmdRuns(const QStringList& args)
{
    QCommandLineParser p;
    addDbOption(p);
    p.addOption({ u"json"_s, u"Print the list as JSON."_s });
    QString error;
    if (!parseArgs(p, u"runs"_s, args, &error))
        return fail(ExitUsage, error);
    if (p.isSet(u"help"_s)) {
        out() << p.helpText();
        return ExitOk;
    }
    const QString db = p.isSet(u"db"_s) ? p.value(u"db"_s) : ResultsStore::defaultPath();
    if (!QFile::exists(db))
        return fail(ExitToolFailure, u"no results store at %1"_s.arg(db));
    ResultsStore store;
    if (!store.open(db, &error))
        return fail(ExitToolFailure, error);
    const QVector<RunInfo> runs = store.runs();
    if (p.isSet(u"json"_s)) {
        QJsonArray list;
        for (const RunInfo& r : runs) {
            list.append(QJsonObject { { u"id"_s, r.id }, { u"name"_s, r.name },
                { u"status"_s, runStatusName(r.status) }, { u"started_at"_s, r.startedAt.toString(Qt::ISODate) },
                { u"finished_at"_s, r.finishedAt.toString(Qt::ISODate) }, { u"records"_s, r.storedRecords },
                { u"planned"_s, r.plannedSamples } });
        }
        out() << QJsonDocument(list).toJson(QJsonDocument::Indented);
        return ExitOk;
    }
    out() << QString(u"%1  %2  %3  %4  %5"_s)
                 .arg(u"ID"_s, 5)
                 .arg(u"STATUS"_s, -11)
                 .arg(u"STARTED (UTC)"_s, -19)
                 .arg(u"RECORDS"_s, -15)
                 .arg(u"NAME"_s)
          << '\n';
    for (const RunInfo& r : runs) {
        out() << QString(u"%1  %2  %3  %4  %5"_s)
                     .arg(r.id, 5)
                     .arg(runStatusName(r.status), -11)
                     .arg(r.startedAt.toUTC().toString(u"yyyy-MM-dd HH:mm:ss"_s), -19)
                     .arg(u"%1/%2"_s.arg(r.storedRecords).arg(r.plannedSamples), -15)
                     .arg(r.name)
              << '\n';
    }
    if (runs.isEmpty())
        out() << "(no runs in " << db << ")\n";
    out().flush();
    return ExitOk;
}

int cmdSimulate(const QStringList& args)
{
    QCommandLineParser p;
    p.addOption({ u"port"_s, u"TCP port on 127.0.0.1 (0 = any free port)."_s, u"N"_s, u"8089"_s });
    p.addOption({ u"seed"_s, u"Seed for answers, latencies and faults."_s, u"N"_s, u"1"_s });
    p.addOption({ u"accuracy"_s, u"Probability of a correct answer (0..1)."_s, u"P"_s, u"0.8"_s });
    p.addOption({ u"latency-ms"_s, u"Median time to first token."_s, u"MS"_s, u"120"_s });
    p.addOption({ u"tail-ms"_s, u"p99 time to first token."_s, u"MS"_s, u"600"_s });
    p.addOption({ u"token-ms"_s, u"Delay between streamed tokens."_s, u"MS"_s, u"8"_s });
    p.addOption({ u"output-tokens"_s, u"Pad answers to this many tokens (0 = natural length)."_s, u"N"_s, u"0"_s });
    p.addOption({ u"retry-after-s"_s, u"Retry-After sent with injected 429s."_s, u"S"_s, u"1"_s });
    p.addOption({ u"stall-ms"_s, u"How long an injected stall stays silent."_s, u"MS"_s, u"120000"_s });
    p.addOption({ u"fault"_s,
        u"Inject a fault with a probability: NAME=P, NAME one of http_429, http_5xx, stall, reset, malformed, "
        "truncated. Repeatable."_s,
        u"NAME=P"_s });
    QString error;
    if (!parseArgs(p, u"simulate"_s, args, &error))
        return fail(ExitUsage, error);
    if (p.isSet(u"help"_s)) {
        out() << p.helpText();
        return ExitOk;
    }
    auto number = [&](const QString& name, double lo, double hi, double* value) {
        bool ok = false;
        *value = p.value(name).toDouble(&ok);
        if (!ok || *value < lo || *value > hi) {
            error = u"simulate: --%1 must be a number in [%2, %3]"_s.arg(name).arg(lo).arg(hi);
            return false;
        }
        return true;
    };
    double port, seed, accuracy, latency, tail, token, outputTokens, retryAfter, stall;
    if (!number(u"port"_s, 0, 65535, &port) || !number(u"seed"_s, 0, 1e18, &seed)
        || !number(u"accuracy"_s, 0, 1, &accuracy) || !number(u"latency-ms"_s, 0, 3.6e6, &latency)
        || !number(u"tail-ms"_s, 0, 3.6e6, &tail) || !number(u"token-ms"_s, 0, 6e4, &token)
        || !number(u"output-tokens"_s, 0, 1e6, &outputTokens) || !number(u"retry-after-s"_s, 0, 3600, &retryAfter)
        || !number(u"stall-ms"_s, 0, 3.6e6, &stall))
        return fail(ExitUsage, error);
    SimulatorSettings s;
    s.accuracy = accuracy;
    s.latencyMs = latency;
    s.tailMs = tail;
    s.tokenMs = token;
    s.outputTokens = int(outputTokens);
    s.retryAfterS = int(retryAfter);
    s.stallMs = int(stall);
    static const QStringList kFaults
        = { u"http_429"_s, u"http_5xx"_s, u"stall"_s, u"reset"_s, u"malformed"_s, u"truncated"_s };
    for (const QString& f : p.values(u"fault"_s)) {
        const QString name = f.section(u'=', 0, 0);
        bool ok = false;
        const double prob = f.section(u'=', 1).toDouble(&ok);
        if (!kFaults.contains(name) || !ok || prob < 0 || prob > 1)
            return fail(ExitUsage,
                u"simulate: --fault %1: expected NAME=P with NAME in %2 and P in [0, 1]"_s.arg(
                    f, kFaults.join(u", "_s)));
        s.faults.insert(name, prob);
    }
    SimulatorServer server(s, quint64(seed));
    if (!server.listen(QHostAddress::LocalHost, quint16(port)))
        return fail(
            ExitToolFailure, u"simulate: cannot listen on 127.0.0.1:%1: %2"_s.arg(port).arg(server.errorString()));
    err() << "evalsandbox-cli: simulated endpoint at http://127.0.0.1:" << server.port()
          << "/v1 (POST /v1/chat/completions, /v1/completions; GET /v1/models). Ctrl+C stops it." << Qt::endl;
    installSignalHandlers(&server, [] { QCoreApplication::exit(0); });
    QCoreApplication::exec();
    const SimulatorCounters c = server.counters();
    err() << "evalsandbox-cli: served " << c.requests << " requests, at most " << c.maxInFlight << " at once"
          << Qt::endl;
    return ExitOk;
}

} // namespace

int run(const QStringList& arguments)
{
    QStringList args = arguments;
    QString logLevel;
    while (!args.isEmpty() && args.constFirst().startsWith(u"--"_s)) {
        const QString a = args.takeFirst();
        if (a == u"--log-level"_s && !args.isEmpty()) {
            logLevel = args.takeFirst();
        } else if (a.startsWith(u"--log-level="_s)) {
            logLevel = a.mid(12);
        } else if (a == u"--version"_s) {
            out() << "evalsandbox-cli " << QCoreApplication::applicationVersion() << Qt::endl;
            return ExitOk;
        } else if (a == u"--help"_s) {
            out() << kUsage;
            return ExitOk;
        } else {
            return fail(ExitUsage, u"unknown option %1\n"_s.arg(a) + QString::fromUtf8(kUsage));
        }
    }
    QString logError;
    if (!setUpStderrLogging(logLevel, &logError))
        return fail(ExitUsage, logError);
    if (args.isEmpty())
        return fail(ExitUsage, u"no command given\n"_s + QString::fromUtf8(kUsage));
    const QString command = args.takeFirst();
    if (command == u"run"_s)
        return cmdRun(args);
    if (command == u"demo"_s)
        return cmdDemo(args);
    if (command == u"runs"_s)
        return cmdRuns(args);
    if (command == u"resume"_s)
        return cmdResume(args);
    if (command == u"simulate"_s)
        return cmdSimulate(args);
    if (command == u"cache"_s)
        return cmdCache(args);
    if (command == u"rescore"_s)
        return cmdRescore(args);
    if (command == u"dataset"_s)
        return cmdDataset(args);
    if (command == u"report"_s)
        return cmdReport(args);
    if (command == u"compare"_s)
        return cmdCompare(args);
    if (command == u"help"_s) {
        out() << kUsage;
        return ExitOk;
    }
    return fail(ExitUsage, u"unknown command '%1'\n"_s.arg(command) + QString::fromUtf8(kUsage));
}

} // namespace evs::cli
