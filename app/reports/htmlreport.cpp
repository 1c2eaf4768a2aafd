#include "app/reports/htmlreport.h"

#include "app/reports/reportcharts.h"
#include "app/reports/reportdata.h"
#include "app/reports/reporttables.h"
#include "models/core/metricdefinitions.h"
#include "models/core/textescape.h"

#include <QCoreApplication>
#include <QDateTime>

using namespace Qt::StringLiterals;

namespace evs {

namespace {

const char* const kStyle = R"css(
:root { color-scheme: light; }
body { font-family: "DejaVu Sans", "Segoe UI", Helvetica, Arial, sans-serif; margin: 0; color: #222;
       background: #f6f7f9; line-height: 1.45; }
main { max-width: 1180px; margin: 0 auto; padding: 24px 28px 48px; background: #fff; }
h1 { font-size: 26px; margin: 0 0 4px; }
h2 { font-size: 20px; margin: 32px 0 8px; border-bottom: 2px solid #e4e6ea; padding-bottom: 4px; }
h3 { font-size: 16px; margin: 20px 0 6px; }
p.sub, p.note { color: #555; margin: 4px 0 10px; }
.verdict { display: inline-block; padding: 6px 14px; border-radius: 4px; font-weight: bold; margin: 10px 0; }
.verdict.pass { background: #e3f4e6; color: #17692a; border: 1px solid #9fd3a9; }
.verdict.fail { background: #fde8e8; color: #a11a1a; border: 1px solid #f0a6a6; }
.verdict.none { background: #eef0f3; color: #444; border: 1px solid #cfd4da; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; font-size: 13px; margin: 6px 0 12px; }
th, td { border: 1px solid #dde1e6; padding: 4px 8px; vertical-align: top; }
th { background: #f0f2f5; text-align: left; white-space: nowrap; }
table:not(.samples) td { white-space: nowrap; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr.fail td { background: #fdecec; }
td .text { white-space: pre-wrap; word-break: break-word; max-width: 360px; font-family: "DejaVu Sans Mono",
           monospace; font-size: 12px; }
figure { margin: 18px 0; }
figure svg { width: 100%; height: auto; max-width: 900px; border: 1px solid #e4e6ea; display: block; }
figcaption { color: #555; font-size: 13px; margin-top: 4px; max-width: 900px; }
dl.defs dt { font-weight: bold; margin-top: 8px; }
dl.defs dd { margin: 2px 0 0 18px; color: #333; }
footer { color: #777; font-size: 12px; margin-top: 36px; }
@media print { body { background: #fff; } main { max-width: none; } figure { break-inside: avoid; } }
)css";

QString e(const QString& s)
{
    return TextEscape::html(s);
}

QString tableHtml(const ReportTable& t, bool withTitle = true)
{
    QString h;
    if (withTitle)
        h += u"<h3 id=\"t-%1\">%2</h3>\n"_s.arg(t.key, e(t.title));
    if (!t.note.isEmpty())
        h += u"<p class=\"note\">%1</p>\n"_s.arg(e(t.note));
    if (t.rows.isEmpty())
        return h;
    h += u"<div class=\"scroll\"><table class=\"%1\">\n<thead><tr>"_s.arg(t.key);
    for (const QString& head : t.headers)
        h += u"<th>"_s + e(head) + u"</th>"_s;
    h += u"</tr></thead>\n<tbody>\n"_s;
    for (qsizetype r = 0; r < t.rows.size(); ++r) {
        h += t.statusRows.contains(int(r)) ? u"<tr class=\"fail\">"_s : u"<tr>"_s;
        for (qsizetype c = 0; c < t.rows[r].size(); ++c) {
            const bool text = t.textColumns.contains(int(c));
            h += text ? u"<td>"_s : u"<td class=\"num\">"_s;
            h += e(t.rows[r][c]) + u"</td>"_s;
        }
        h += u"</tr>\n"_s;
    }
    h += u"</tbody></table></div>\n"_s;
    return h;
}

QString samplesHtml(const ReportData& d)
{
    QString h
        = u"<h2 id=\"samples\">Sample responses</h2>\n<p class=\"note\">Up to %1 per model \u00d7 benchmark, "
          "failed and wrong ones first. Model output and dataset text are shown as text, never as markup.</p>\n"_s.arg(
              ReportData::kSamplesPerPair);
    if (d.samples.isEmpty())
        return h + u"<p class=\"note\">No stored responses.</p>\n"_s;
    h += u"<div class=\"scroll\"><table class=\"samples\"><thead><tr><th>Model</th><th>Benchmark</th><th>Sample</th>"
         "<th>Repeat</th><th>Outcome</th><th>Score</th><th>Expected</th><th>Response</th><th>Explanation</th>"
         "</tr></thead><tbody>\n"_s;
    for (const auto& s : d.samples) {
        const QString outcome = s.errorClass.isEmpty()
            ? u"ok"_s
            : s.errorClass + (s.httpStatus ? u" (HTTP %1)"_s.arg(s.httpStatus) : QString());
        const QString detail = s.errorClass.isEmpty() ? s.explanation : s.errorMessage;
        h += u"<tr><td>%1</td><td>%2</td><td>%3</td><td class=\"num\">%4</td><td>%5</td><td class=\"num\">%6</td>"
             "<td><div class=\"text\">%7</div></td><td><div class=\"text\">%8</div></td>"
             "<td><div class=\"text\">%9</div></td></tr>\n"_s.arg(e(d.modelId(s.modelIndex)),
                 e(d.benchmarkId(s.benchmarkIndex)), e(s.sampleId), QString::number(s.repeat), e(outcome),
                 ReportTables::fraction(s.scored ? s.score : NAN), e(TextEscape::elide(s.expected, 400)),
                 e(TextEscape::elide(s.response, 800)), e(TextEscape::elide(detail, 400)));
    }
    h += u"</tbody></table></div>\n"_s;
    return h;
}

} // namespace

QByteArray HtmlReport::render(const ReportData& d)
{
    QString h;
    h.reserve(256 * 1024);
    const QString title = u"Run %1: %2"_s.arg(d.run.id).arg(d.run.name);
    h += u"<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
         "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
         "img-src data:\">\n<meta name=\"referrer\" content=\"no-referrer\">\n"
         "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"_s;
    h += u"<title>evalsandbox report \u2014 "_s + e(title) + u"</title>\n<style>"_s + QString::fromUtf8(kStyle)
        + u"</style>\n</head>\n<body>\n<main>\n"_s;
    h += u"<h1>"_s + e(title) + u"</h1>\n"_s;
    h += u"<p class=\"sub\">Evaluation report \u00b7 %1 model(s) \u00d7 %2 benchmark(s) \u00b7 %3 records \u00b7 "
         "status %4</p>\n"_s.arg(d.modelIds.size())
             .arg(d.benchmarkIds.size())
             .arg(d.run.storedRecords)
             .arg(e(runStatusName(d.run.status)));
    const auto& tr = d.thresholdReport;
    if (d.thresholds.isEmpty())
        h += u"<div class=\"verdict none\">No thresholds declared</div>\n"_s;
    else if (tr.allPassed())
        h += u"<div class=\"verdict pass\">All %1 threshold checks passed</div>\n"_s.arg(tr.results.size());
    else
        h += u"<div class=\"verdict fail\">%1 of %2 threshold checks failed</div>\n"_s.arg(tr.failedCount())
                 .arg(tr.results.size());

    h += u"<h2 id=\"run\">Run</h2>\n"_s + tableHtml(ReportTables::runInfo(d), false);
    h += u"<h2 id=\"summary\">Summary</h2>\n<p class=\"note\">"_s + e(metricReportPreamble()) + u"</p>\n"_s;
    for (const ReportTable& t : ReportTables::summaryTables(d))
        h += tableHtml(t);

    h += u"<h2 id=\"charts\">Charts</h2>\n"_s;
    for (const auto c : ReportCharts::all()) {
        h += u"<figure>\n"_s + QString::fromUtf8(ReportCharts::inlineSvg(c, d)) + u"\n<figcaption>"_s
            + e(ReportCharts::caption(c)) + u"</figcaption>\n</figure>\n"_s;
    }

    h += samplesHtml(d);

    h += u"<h2 id=\"definitions\">Metric definitions</h2>\n<dl class=\"defs\">\n"_s;
    for (const MetricDefinition& def : metricDefinitions()) {
        if (def.lists & MetricDefinition::ReportList)
            h += u"<dt>"_s + e(def.label.toString()) + u"</dt><dd>"_s + e(metricDescription(def)) + u"</dd>\n"_s;
    }
    h += u"</dl>\n<footer>Generated by evalsandbox %1 on %2 from the results store. Nothing in this file is "
         "fetched from a network.</footer>\n</main>\n</body>\n</html>\n"_s.arg(
             e(QCoreApplication::applicationVersion()),
             QDateTime::currentDateTimeUtc().toString(u"yyyy-MM-dd HH:mm 'UTC'"_s));
    return h.toUtf8();
}

} // namespace evs
