// `evalsandbox-cli rescore RUN --scorer JSON|@FILE ...` and `rescore --list RUN`: score stored responses again
// without calling any model, as a new scoring of the same run.
#include "app/cli/commands.h"

#include "app/engine/rescorer.h"
#include "models/stats/runsummary.h"
#include "models/store/resultsstore.h"
#include "models/store/scoringstore.h"

#include <QCommandLineParser>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>
#include <QTextStream>

using namespace Qt::StringLiterals;

namespace evs::cli {

namespace {

enum Exit { ExitOk = 0, ExitToolFailure = 1, ExitUsage = 2 };

// "JSON" or "@FILE".
bool readScorer(const QString& arg, QJsonObject* scorer, QString* error)
{
    QByteArray json = arg.toUtf8();
    QString source = u"--scorer"_s;
    if (arg.startsWith(u'@')) {
        QFile f(arg.mid(1));
        if (!f.open(QIODevice::ReadOnly)) {
            *error = u"cannot read %1: %2"_s.arg(arg.mid(1), f.errorString());
            return false;
        }
        json = f.readAll();
        source = arg.mid(1);
    }
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isObject()) {
        *error = u"%1: expected a scorer object such as {\"type\":\"exact_match\"} (%2 at offset %3)"_s.arg(source)
                     .arg(parseError.error != QJsonParseError::NoError ? parseError.errorString() : u"not an object"_s)
                     .arg(parseError.offset);
        return false;
    }
    *scorer = doc.object();
    return true;
}

QString pairLine(const PairSummary& p)
{
    const QString score = p.scored > 0
        ? u"mean %1 [%2, %3]  scored %4"_s
              .arg(QString::number(p.scoreMean, 'f', 4), QString::number(p.scoreCiLow, 'f', 3),
                  QString::number(p.scoreCiHigh, 'f', 3))
              .arg(p.scored)
        : u"not scored"_s;
    return u"      %1 %2\n"_s.arg(QString(p.modelId + u" / "_s + p.benchmarkId).left(30), -30).arg(score);
}

int listScorings(ResultsStore& store, qint64 runId, bool json)
{
    const auto run = store.run(runId);
    if (!run)
        return fail(ExitUsage, u"rescore --list: no run %1 in %2"_s.arg(runId).arg(store.path()));
    ScoringStore scorings(store);
    const auto list = scorings.scorings(runId);
    std::optional<RunSummary> original = RunSummary::fromJson(run->summary);
    if (!original) {
        QString error;
        original = computeRunSummary(store, runId, &error);
        if (!original)
            return fail(ExitToolFailure, error);
    }
    if (json) {
        QJsonArray a;
        a.append(QJsonObject { { u"id"_s, 0 }, { u"label"_s, u"original"_s }, { u"summary"_s, original->toJson() } });
        for (const auto& s : list) {
            a.append(QJsonObject { { u"id"_s, s.id }, { u"label"_s, s.label },
                { u"created_at"_s, s.createdAt.toString(Qt::ISODate) }, { u"scorer"_s, s.scorer },
                { u"benchmark_index"_s, s.benchmarkIndex }, { u"scored_results"_s, s.scoredResults },
                { u"summary"_s, s.summary } });
        }
        out() << QJsonDocument(a).toJson(QJsonDocument::Indented);
        return ExitOk;
    }
    out() << "Scorings of run " << runId << " (" << run->name << ")\n";
    out() << "  0  original (the plan's scorers)\n";
    for (const auto& p : original->pairs)
        out() << pairLine(p);
    for (const auto& s : list) {
        const auto summary = RunSummary::fromJson(s.summary);
        const QString scope = s.benchmarkIndex >= 0 && summary && !summary->pairs.isEmpty()
            ? u"benchmark "_s + summary->pairs.constFirst().benchmarkId
            : (s.benchmarkIndex >= 0 ? u"benchmark #%1"_s.arg(s.benchmarkIndex) : u"all benchmarks"_s);
        out() << QString(u"%1  %2  %3  %4  %5\n"_s)
                     .arg(s.id, 3)
                     .arg(s.label.isEmpty() ? u"(no label)"_s : s.label)
                     .arg(s.createdAt.toUTC().toString(u"yyyy-MM-dd HH:mm:ss"_s) + u" UTC"_s)
                     .arg(scope)
                     .arg(QString::fromUtf8(QJsonDocument(s.scorer).toJson(QJsonDocument::Compact)));
        if (summary) {
            for (const auto& p : summary->pairs)
                out() << pairLine(p);
        }
    }
    out() << "Read one in full: evalsandbox-cli rescore --list " << runId << " --json\n";
    out().flush();
    return ExitOk;
}

} // namespace

int cmdRescore(const QStringList& args)
{
    QCommandLineParser p;
    p.setApplicationDescription(u"evalsandbox-cli rescore: score a run's stored responses again, without calling "
                                "any model; stored as a new scoring of the same run"_s);
    p.addHelpOption();
    p.addOption({ u"db"_s, u"Results store (SQLite file)."_s, u"FILE"_s });
    p.addOption({ u"scorer"_s, u"The scorer spec as JSON, or @FILE."_s, u"JSON"_s });
    p.addOption({ u"benchmark"_s, u"Only this benchmark (its id in the plan)."_s, u"ID"_s });
    p.addOption({ u"label"_s, u"A name for the new scoring."_s, u"TEXT"_s });
    p.addOption({ u"json"_s, u"With a scorer: also write the new summary as JSON to FILE."_s, u"FILE"_s });
    p.addOption({ u"list"_s, u"List the scorings of RUN (0 = the original) with their scores."_s });
    p.addPositionalArgument(u"run"_s, u"The run id (see `runs`)."_s);
    // --json is a flag with --list and takes a file otherwise: accept "--list RUN --json" by handling it here.
    QStringList rest = args;
    bool listJson = false;
    if (rest.contains(u"--list"_s) && rest.contains(u"--json"_s)
        && (rest.indexOf(u"--json"_s) == rest.size() - 1
            || rest.at(rest.indexOf(u"--json"_s) + 1).startsWith(u"-"_s))) {
        listJson = true;
        rest.removeAll(u"--json"_s);
    }
    if (!p.parse(QStringList { u"evalsandbox-cli"_s } + rest))
        return fail(ExitUsage, u"rescore: "_s + p.errorText());
    if (p.isSet(u"help"_s)) {
        out() << p.helpText();
        return ExitOk;
    }
    bool ok = false;
    const qint64 runId = p.positionalArguments().value(0).toLongLong(&ok);
    if (p.positionalArguments().size() != 1 || !ok)
        return fail(ExitUsage,
            u"rescore: expected one run id (evalsandbox-cli rescore RUN --scorer JSON, or rescore --list RUN)"_s);
    const QString db = p.isSet(u"db"_s) ? p.value(u"db"_s) : ResultsStore::defaultPath();
    if (!QFile::exists(db))
        return fail(ExitToolFailure, u"no results store at %1"_s.arg(db));
    ResultsStore store;
    QString error;
    if (!store.open(db, &error))
        return fail(ExitToolFailure, error);

    if (p.isSet(u"list"_s)) {
        if (p.isSet(u"scorer"_s))
            return fail(ExitUsage, u"rescore: --list and --scorer do not go together"_s);
        return listScorings(store, runId, listJson);
    }
    if (!p.isSet(u"scorer"_s))
        return fail(ExitUsage, u"rescore: --scorer JSON|@FILE is required (or --list to see the scorings)"_s);
    RescoreOptions options;
    options.runId = runId;
    options.benchmarkId = p.value(u"benchmark"_s);
    options.label = p.value(u"label"_s);
    if (!readScorer(p.value(u"scorer"_s), &options.scorer, &error))
        return fail(ExitUsage, u"rescore: "_s + error);
    bool usage = false;
    const auto outcome = Rescorer::rescore(store, options, &error, &usage);
    if (!outcome)
        return fail(usage ? ExitUsage : ExitToolFailure, u"rescore: "_s + error);
    out() << Rescorer::comparisonText(outcome->original, outcome->rescored) << '\n';
    out() << outcome->rescored.toText();
    out() << "Scoring " << outcome->scoringId << " of run " << runId << " stored in " << db << " (" << outcome->scored
          << " responses scored";
    if (outcome->scoreErrors > 0)
        out() << ", " << outcome->scoreErrors << " scoring errors";
    if (outcome->missingSamples > 0)
        out() << ", " << outcome->missingSamples << " samples missing or changed in the dataset";
    out() << "); list the scorings with: evalsandbox-cli rescore --list " << runId << Qt::endl;
    if (p.isSet(u"json"_s)) {
        QFile f(p.value(u"json"_s));
        const QByteArray data = QJsonDocument(outcome->rescored.toJson()).toJson(QJsonDocument::Indented);
        if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate) || f.write(data) != data.size())
            return fail(ExitToolFailure, u"cannot write %1: %2"_s.arg(f.fileName(), f.errorString()));
    }
    return ExitOk;
}

} // namespace evs::cli
