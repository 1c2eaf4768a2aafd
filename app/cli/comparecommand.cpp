// `evalsandbox-cli compare RUN_A RUN_B [more] ...` and `compare RUN --models a,b`: the figures of each side with
// their differences to the baseline and the significance of those, then the samples where the sides disagree, as
// text, Markdown, JSON or a self-contained HTML page. Model output is untrusted: escaped in Markdown and HTML.
#include "app/cli/commands.h"

#include "models/core/metricdefinitions.h"
#include "models/core/textescape.h"
#include "models/stats/comparison.h"
#include "models/store/resultsstore.h"

#include <QCommandLineParser>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTextStream>

#include <cmath>

using namespace Qt::StringLiterals;

namespace evs::cli {

namespace {

enum Exit { ExitOk = 0, ExitToolFailure = 1, ExitUsage = 2 };

enum class Format { Text, Markdown, Json, Html };

QString fmt(double v, int decimals)
{
    if (!std::isfinite(v))
        return kAbsentFigure.toString();
    return QString::number(v, 'f', decimals);
}

QString signedFmt(double v, int decimals)
{
    if (!std::isfinite(v))
        return kAbsentFigure.toString();
    return (v >= 0 ? u"+"_s : QString()) + QString::number(v, 'f', decimals);
}

QString formatP(double p)
{
    if (!std::isfinite(p))
        return kAbsentFigure.toString();
    return p < 0.0001 ? u"< 0.0001"_s : QString::number(p, 'g', 4);
}

int msDecimals(double v)
{
    return std::abs(v) < 10 ? 2 : (std::abs(v) < 1000 ? 1 : 0);
}

// A table with metric rows and one column per side; cells are plain text, escaped by the renderer.
struct Table {
    QStringList header;
    QVector<QStringList> rows;
};

Table figuresTable(const Comparison& c, const BenchmarkComparison& b)
{
    Table t;
    t.header << u"figure"_s;
    for (int i = 0; i < c.sides.size(); ++i)
        t.header << c.sides[i].label() + (i == c.baseline ? u" (baseline)"_s : QString());
    const SideFigures& base = b.sides[c.baseline];
    auto row = [&](const QString& name, const std::function<QString(int, const SideFigures&)>& cell) {
        QStringList r { name };
        for (int i = 0; i < c.sides.size(); ++i)
            r << (b.sides[i].present ? cell(i, b.sides[i]) : u"(not in this run)"_s);
        t.rows.append(r);
    };
    auto paired = [&](int i) -> const PairedComparison* {
        return i != c.baseline && base.present && b.sides[i].present ? &b.vsBaseline[i] : nullptr;
    };
    // A value with its difference to the baseline (and the bootstrap CI of that difference when given).
    auto withDelta = [&](int i, double v, double baseValue, int decimals, const stats::PercentileDifference* d) {
        QString s = fmt(v, decimals);
        if (paired(i)) {
            s += u" ("_s + signedFmt(v - baseValue, decimals);
            if (d)
                s += u" ["_s + signedFmt(d->ciLow, decimals) + u", "_s + signedFmt(d->ciHigh, decimals) + u"]"_s;
            s += u")"_s;
        }
        return s;
    };
    row(u"records (failed)"_s,
        [](int, const SideFigures& f) { return u"%1 (%2)"_s.arg(f.summary.n).arg(f.summary.failed); });
    row(u"score [95% CI]"_s, [](int, const SideFigures& f) {
        if (f.summary.scored == 0)
            return u"not scored"_s;
        return u"%1 [%2, %3] %4, n=%5"_s
            .arg(fmt(f.summary.scoreMean, 4), fmt(f.summary.scoreCiLow, 3), fmt(f.summary.scoreCiHigh, 3),
                f.summary.ciMethod)
            .arg(f.summary.scored);
    });
    row(u"score difference [95% CI, paired]"_s, [&](int i, const SideFigures&) {
        const auto* pc = paired(i);
        if (!pc)
            return i == c.baseline ? u"baseline"_s : kAbsentFigure.toString();
        if (pc->shared == 0)
            return u"no shared samples"_s;
        return u"%1 [%2, %3]"_s.arg(signedFmt(pc->scoreDiff.meanDiff, 4), signedFmt(pc->scoreDiff.ciLow, 4),
            signedFmt(pc->scoreDiff.ciHigh, 4));
    });
    row(u"significance"_s, [&](int i, const SideFigures&) {
        const auto* pc = paired(i);
        if (!pc || pc->shared == 0)
            return i == c.baseline ? u"baseline"_s : kAbsentFigure.toString();
        const QString test = pc->test == u"mcnemar_exact"_s ? u"McNemar exact"_s : u"paired bootstrap"_s;
        return u"p = %1 (%2)%3"_s.arg(formatP(pc->pValue), test, pc->pValue < 0.05 ? u" *"_s : QString());
    });
    row(u"shared samples (not shared)"_s, [&](int i, const SideFigures&) {
        const auto* pc = paired(i);
        if (!pc)
            return i == c.baseline ? u"baseline"_s : kAbsentFigure.toString();
        return u"%1 (%2 baseline only, %3 this side only)"_s.arg(pc->shared).arg(pc->onlyBaseline).arg(pc->onlySide);
    });
    row(u"disagreements"_s, [&](int i, const SideFigures&) {
        const auto* pc = paired(i);
        if (!pc)
            return i == c.baseline ? u"baseline"_s : kAbsentFigure.toString();
        return u"%1 (baseline right %2, this side right %3)"_s.arg(pc->disagreements())
            .arg(pc->baselineOnlyRight)
            .arg(pc->sideOnlyRight);
    });
    const QStringList pNames { u"p50"_s, u"p95"_s, u"p99"_s };
    for (int k = 0; k < 3; ++k) {
        row(u"latency %1 ms (diff [95% CI])"_s.arg(pNames[k]), [&, k](int i, const SideFigures& f) {
            const Percentiles& p = f.summary.latencyMs;
            const double v = k == 0 ? p.p50 : (k == 1 ? p.p95 : p.p99);
            const Percentiles& bp = base.summary.latencyMs;
            const double bv = k == 0 ? bp.p50 : (k == 1 ? bp.p95 : bp.p99);
            const auto* pc = paired(i);
            return p.n == 0
                ? kAbsentFigure.toString()
                : withDelta(i, v, bv, msDecimals(v), pc && pc->latencyMs.size() > k ? &pc->latencyMs[k] : nullptr);
        });
    }
    for (int k = 0; k < 2; ++k) {
        row(u"TTFT %1 ms (diff [95% CI])"_s.arg(pNames[k]), [&, k](int i, const SideFigures& f) {
            const Percentiles& p = f.summary.ttftMs;
            const double v = k == 0 ? p.p50 : p.p95;
            const double bv = k == 0 ? base.summary.ttftMs.p50 : base.summary.ttftMs.p95;
            const auto* pc = paired(i);
            return p.n == 0
                ? kAbsentFigure.toString()
                : withDelta(i, v, bv, msDecimals(v), pc && pc->ttftMs.size() > k ? &pc->ttftMs[k] : nullptr);
        });
    }
    row(u"error rate % (diff)"_s,
        [&](int i, const SideFigures& f) { return withDelta(i, 100 * f.errorRate, 100 * base.errorRate, 2, nullptr); });
    row(u"output tokens/s (diff)"_s, [&](int i, const SideFigures& f) {
        return withDelta(i, f.summary.outputTokensPerS, base.summary.outputTokensPerS, 1, nullptr);
    });
    row(u"cost USD (diff)"_s,
        [&](int i, const SideFigures& f) { return withDelta(i, f.summary.costUsd, base.summary.costUsd, 4, nullptr); });
    return t;
}

// Short names for the report writers' escaping (TextEscape), used in every cell below.
QString htmlEscape(const QString& s)
{
    return TextEscape::html(s);
}

QString mdEscape(const QString& s)
{
    return TextEscape::markdown(s);
}

QString clip(const QString& s, int n)
{
    return s.size() <= n ? s : s.left(n) + u"…"_s;
}

struct DisagreementBlock {
    int side = 0;
    qint64 total = 0;
    QVector<Disagreement> shown;
};

QString renderText(const Comparison& c, const QVector<QVector<DisagreementBlock>>& blocks)
{
    QString out;
    QTextStream s(&out);
    s << "Comparison of " << c.sides.size() << " sides; baseline " << c.sides[c.baseline].label() << "\n";
    for (int bi = 0; bi < c.benchmarks.size(); ++bi) {
        const auto& b = c.benchmarks[bi];
        const Table t = figuresTable(c, b);
        s << "\nbenchmark " << b.benchmarkId << "\n";
        QVector<int> widths(t.header.size(), 0);
        for (int col = 0; col < t.header.size(); ++col) {
            widths[col] = int(t.header[col].size());
            for (const auto& r : t.rows)
                widths[col] = std::max(widths[col], int(r[col].size()));
        }
        auto line = [&](const QStringList& cells) {
            for (int col = 0; col < cells.size(); ++col)
                s << "  " << cells[col].leftJustified(widths[col]);
            s << "\n";
        };
        line(t.header);
        for (const auto& r : t.rows)
            line(r);
        for (const auto& d : blocks[bi]) {
            s << "\n  disagreements " << c.sides[c.baseline].label() << " vs " << c.sides[d.side].label() << ": "
              << d.total << (d.shown.size() < d.total ? u" (first %1 shown)"_s.arg(d.shown.size()) : QString()) << "\n";
            for (const auto& x : d.shown) {
                s << "    sample " << (x.sampleId.isEmpty() ? QString::number(x.sampleIndex) : x.sampleId) << " repeat "
                  << x.repeat << "  expected: " << clip(x.expected, 80).simplified() << "\n"
                  << "      baseline (" << x.baseScore << "): " << clip(x.baseResponse, 200).simplified() << "\n"
                  << "      side     (" << x.otherScore << "): " << clip(x.otherResponse, 200).simplified() << "\n";
            }
        }
    }
    s << "\nDifferences are side minus baseline. Scores are paired on the samples both sides scored (same sample "
         "and repeat): McNemar's exact test for pass/fail, a paired bootstrap otherwise; latency differences carry "
         "a bootstrap 95 % CI (each side resampled, "
      << c.resamples << " resamples, seed " << c.seed << "). * p < 0.05.\n";
    return out;
}

QString renderMarkdown(const Comparison& c, const QVector<QVector<DisagreementBlock>>& blocks)
{
    QString out;
    QTextStream s(&out);
    s << "# Comparison\n\nBaseline: " << mdEscape(c.sides[c.baseline].label()) << "\n";
    for (int bi = 0; bi < c.benchmarks.size(); ++bi) {
        const auto& b = c.benchmarks[bi];
        const Table t = figuresTable(c, b);
        s << "\n## Benchmark " << mdEscape(b.benchmarkId) << "\n\n|";
        for (const auto& h : t.header)
            s << ' ' << mdEscape(h) << " |";
        s << "\n|";
        for (int i = 0; i < t.header.size(); ++i)
            s << (i == 0 ? " --- |" : " ---: |");
        s << "\n";
        for (const auto& r : t.rows) {
            s << '|';
            for (const auto& cell : r)
                s << ' ' << mdEscape(cell) << " |";
            s << "\n";
        }
        for (const auto& d : blocks[bi]) {
            s << "\n### Disagreements: " << mdEscape(c.sides[c.baseline].label()) << " vs "
              << mdEscape(c.sides[d.side].label()) << " (" << d.total << ")\n\n";
            if (d.shown.isEmpty())
                continue;
            s << "| sample | expected | baseline score | baseline response | side score | side response |\n"
                 "| --- | --- | ---: | --- | ---: | --- |\n";
            for (const auto& x : d.shown) {
                s << "| " << mdEscape(x.sampleId.isEmpty() ? QString::number(x.sampleIndex) : x.sampleId) << " r"
                  << x.repeat << " | " << mdEscape(clip(x.expected, 200)) << " | " << x.baseScore << " | "
                  << mdEscape(clip(x.baseResponse, 500)) << " | " << x.otherScore << " | "
                  << mdEscape(clip(x.otherResponse, 500)) << " |\n";
            }
            if (d.shown.size() < d.total)
                s << "\n" << d.shown.size() << " of " << d.total << " shown.\n";
        }
    }
    s << "\nDifferences are side minus baseline. Scores are paired on the samples both sides scored (same sample and "
         "repeat): McNemar's exact test for pass/fail, a paired bootstrap otherwise; latency differences carry a "
         "bootstrap 95 % CI (each side resampled, "
      << c.resamples << " resamples, seed " << c.seed << "). \\* p < 0.05.\n";
    return out;
}

QString renderHtml(const Comparison& c, const QVector<QVector<DisagreementBlock>>& blocks)
{
    QString out;
    QTextStream s(&out);
    // Self-contained: inline styles, nothing to fetch.
    s << "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>evalsandbox comparison</title>"
         "<style>body{font-family:sans-serif;margin:1.5em;color:#1d1d1f;background:#fff}"
         "table{border-collapse:collapse;margin:0.5em 0 1.5em}th,td{border:1px solid #bbb;padding:0.25em 0.5em;"
         "text-align:right;vertical-align:top}th:first-child,td:first-child{text-align:left}"
         "pre{white-space:pre-wrap;margin:0;max-width:40em;text-align:left;font-size:90%}"
         "@media (prefers-color-scheme: dark){body{color:#eee;background:#1e1e1e}th,td{border-color:#555}}"
         "</style></head><body>\n<h1>Comparison</h1>\n<p>Baseline: "
      << htmlEscape(c.sides[c.baseline].label()) << "</p>\n";
    for (int bi = 0; bi < c.benchmarks.size(); ++bi) {
        const auto& b = c.benchmarks[bi];
        const Table t = figuresTable(c, b);
        s << "<h2>Benchmark " << htmlEscape(b.benchmarkId) << "</h2>\n<table><tr>";
        for (const auto& h : t.header)
            s << "<th>" << htmlEscape(h) << "</th>";
        s << "</tr>\n";
        for (const auto& r : t.rows) {
            s << "<tr>";
            for (const auto& cell : r)
                s << "<td>" << htmlEscape(cell) << "</td>";
            s << "</tr>\n";
        }
        s << "</table>\n";
        for (const auto& d : blocks[bi]) {
            s << "<h3>Disagreements: " << htmlEscape(c.sides[c.baseline].label()) << " vs "
              << htmlEscape(c.sides[d.side].label()) << " (" << d.total << ")</h3>\n";
            if (d.shown.isEmpty())
                continue;
            s << "<table><tr><th>sample</th><th>expected</th><th>baseline</th><th>side</th></tr>\n";
            for (const auto& x : d.shown) {
                s << "<tr><td>" << htmlEscape(x.sampleId.isEmpty() ? QString::number(x.sampleIndex) : x.sampleId)
                  << " r" << x.repeat << "</td><td><pre>" << htmlEscape(x.expected) << "</pre></td><td>score "
                  << x.baseScore << "<pre>" << htmlEscape(x.baseResponse) << "</pre></td><td>score " << x.otherScore
                  << "<pre>" << htmlEscape(x.otherResponse) << "</pre></td></tr>\n";
            }
            s << "</table>\n";
            if (d.shown.size() < d.total)
                s << "<p>" << d.shown.size() << " of " << d.total << " shown.</p>\n";
        }
    }
    s << "<p>Differences are side minus baseline. Scores are paired on the samples both sides scored (same sample "
         "and repeat): McNemar&#39;s exact test for pass/fail, a paired bootstrap otherwise; latency differences "
         "carry a bootstrap 95&nbsp;% CI (each side resampled, "
      << c.resamples << " resamples, seed " << c.seed << "). * p &lt; 0.05.</p>\n</body></html>\n";
    return out;
}

QByteArray renderJson(const Comparison& c, const QVector<QVector<DisagreementBlock>>& blocks)
{
    QJsonObject root = c.toJson();
    QJsonArray disagreements;
    for (int bi = 0; bi < c.benchmarks.size(); ++bi) {
        for (const auto& d : blocks[bi]) {
            QJsonArray samples;
            for (const auto& x : d.shown) {
                samples.append(QJsonObject { { u"sample_index"_s, double(x.sampleIndex) }, { u"repeat"_s, x.repeat },
                    { u"sample_id"_s, x.sampleId }, { u"expected"_s, x.expected }, { u"baseline_score"_s, x.baseScore },
                    { u"side_score"_s, x.otherScore }, { u"baseline_response"_s, x.baseResponse },
                    { u"side_response"_s, x.otherResponse } });
            }
            disagreements.append(QJsonObject { { u"benchmark"_s, c.benchmarks[bi].benchmarkId }, { u"side"_s, d.side },
                { u"total"_s, double(d.total) }, { u"samples"_s, samples } });
        }
    }
    root.insert(u"disagreements"_s, disagreements);
    return QJsonDocument(root).toJson(QJsonDocument::Indented);
}

} // namespace

int cmdCompare(const QStringList& args)
{
    QCommandLineParser p;
    p.setApplicationDescription(u"evalsandbox-cli compare: compare two or more runs, or models within a run"_s);
    p.addHelpOption();
    p.addPositionalArgument(u"RUN"_s, u"Run ids: two or more, or one with --models."_s, u"RUN [RUN...]"_s);
    p.addOption({ u"db"_s, u"Results store (SQLite file)."_s, u"FILE"_s });
    p.addOption({ u"baseline"_s, u"1-based position of the baseline side (default 1: the first)."_s, u"N"_s });
    p.addOption({ u"model"_s, u"Compare this model of each run."_s, u"ID"_s });
    p.addOption({ u"models"_s, u"Compare these models of each run (comma-separated)."_s, u"IDS"_s });
    p.addOption({ u"benchmark"_s, u"Only this benchmark."_s, u"ID"_s });
    p.addOption({ u"format"_s, u"text (default), md, json or html."_s, u"F"_s });
    p.addOption({ { u"o"_s, u"output"_s }, u"Write to FILE instead of stdout (- for stdout)."_s, u"FILE"_s });
    p.addOption({ u"disagreements"_s, u"Disagreeing samples listed per pair of sides (default 10)."_s, u"N"_s });
    if (!p.parse(QStringList { u"evalsandbox-cli"_s } + args))
        return fail(ExitUsage, u"compare: "_s + p.errorText());
    if (p.isSet(u"help"_s)) {
        QTextStream(stdout) << p.helpText();
        return ExitOk;
    }

    QVector<qint64> runIds;
    for (const QString& a : p.positionalArguments()) {
        bool ok = false;
        const qint64 id = a.toLongLong(&ok);
        if (!ok || id <= 0)
            return fail(ExitUsage, u"compare: '%1' is not a run id"_s.arg(a));
        runIds.append(id);
    }
    if (runIds.isEmpty())
        return fail(ExitUsage, u"compare: expected run ids (compare RUN_A RUN_B, or compare RUN --models a,b)"_s);
    QStringList models;
    if (p.isSet(u"models"_s))
        models = p.value(u"models"_s).split(u',', Qt::SkipEmptyParts);
    if (p.isSet(u"model"_s))
        models.append(p.value(u"model"_s));
    for (QString& m : models)
        m = m.trimmed();

    const QString formatName = p.value(u"format"_s).isEmpty() ? u"text"_s : p.value(u"format"_s);
    Format format;
    if (formatName == u"text"_s)
        format = Format::Text;
    else if (formatName == u"md"_s || formatName == u"markdown"_s)
        format = Format::Markdown;
    else if (formatName == u"json"_s)
        format = Format::Json;
    else if (formatName == u"html"_s)
        format = Format::Html;
    else
        return fail(ExitUsage, u"compare: unknown format '%1' (text, md, json, html)"_s.arg(formatName));
    int shownLimit = 10;
    if (p.isSet(u"disagreements"_s)) {
        bool ok = false;
        shownLimit = p.value(u"disagreements"_s).toInt(&ok);
        if (!ok || shownLimit < 0)
            return fail(ExitUsage, u"compare: --disagreements expects a count"_s);
    }

    const QString db = p.isSet(u"db"_s) ? p.value(u"db"_s) : ResultsStore::defaultPath();
    if (!QFile::exists(db))
        return fail(ExitToolFailure, u"no results store at %1"_s.arg(db));
    ResultsStore store;
    QString error;
    if (!store.open(db, &error))
        return fail(ExitToolFailure, u"results store %1: %2"_s.arg(db, error));

    CompareRequest request;
    for (const qint64 id : std::as_const(runIds)) {
        const auto sides = sidesOfRun(store, id, models, &error);
        if (!sides)
            return fail(ExitUsage, u"compare: "_s + error);
        request.sides += *sides;
    }
    if (request.sides.size() < 2) {
        return fail(ExitUsage,
            u"compare: that is one side only; give two or more runs, or a run with two or more models "
            "(--models a,b)"_s);
    }
    if (p.isSet(u"baseline"_s)) {
        bool ok = false;
        const int n = p.value(u"baseline"_s).toInt(&ok);
        if (!ok || n < 1 || n > request.sides.size())
            return fail(
                ExitUsage, u"compare: --baseline expects 1 to %1 (the sides in order)"_s.arg(request.sides.size()));
        request.baseline = n - 1;
    }
    request.benchmarkId = p.value(u"benchmark"_s);

    const auto comparison = computeComparison(store, request, &error);
    if (!comparison)
        return fail(ExitToolFailure, u"compare: "_s + error);

    QVector<QVector<DisagreementBlock>> blocks(comparison->benchmarks.size());
    for (int bi = 0; bi < comparison->benchmarks.size(); ++bi) {
        const auto& b = comparison->benchmarks[bi];
        const SideFigures& base = b.sides[comparison->baseline];
        for (int i = 0; i < comparison->sides.size(); ++i) {
            if (i == comparison->baseline || !base.present || !b.sides[i].present)
                continue;
            const CompareSide& bs = comparison->sides[comparison->baseline];
            const CompareSide& os = comparison->sides[i];
            const DisagreementPair pair { bs.runId, bs.modelIndex, base.benchmarkIndex, os.runId, os.modelIndex,
                b.sides[i].benchmarkIndex };
            DisagreementBlock block;
            block.side = i;
            block.total = b.vsBaseline[i].disagreements();
            if (shownLimit > 0) {
                const auto page = disagreementPage(store, pair, -1, -1, shownLimit, &error);
                if (!page)
                    return fail(ExitToolFailure, u"compare: "_s + error);
                block.shown = *page;
            }
            blocks[bi].append(block);
        }
    }

    QByteArray data;
    switch (format) {
    case Format::Text:
        data = renderText(*comparison, blocks).toUtf8();
        break;
    case Format::Markdown:
        data = renderMarkdown(*comparison, blocks).toUtf8();
        break;
    case Format::Json:
        data = renderJson(*comparison, blocks);
        break;
    case Format::Html:
        data = renderHtml(*comparison, blocks).toUtf8();
        break;
    }
    const QString output = p.value(u"output"_s);
    if (output.isEmpty() || output == u"-"_s) {
        QFile f;
        if (!f.open(stdout, QIODevice::WriteOnly) || f.write(data) != data.size())
            return fail(ExitToolFailure, u"compare: cannot write to stdout"_s);
        return ExitOk;
    }
    QFile f(output);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate) || f.write(data) != data.size() || !f.flush())
        return fail(ExitToolFailure, u"compare: cannot write %1: %2"_s.arg(output, f.errorString()));
    return ExitOk;
}

} // namespace evs::cli
