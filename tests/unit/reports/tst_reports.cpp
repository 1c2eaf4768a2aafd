// Every export of a real run (two simulated models x two benchmarks, faults, retries, thresholds) read back with
// independent parsers: its numbers equal the store's, untrusted text is escaped, the HTML fetches nothing, the PDF
// has pages with charts.
#include "app/engine/runcontroller.h"
#include "app/reports/csvexport.h"
#include "app/reports/reportwriter.h"
#include "models/core/metricdefinitions.h"
#include "models/plan/planparser.h"
#include "models/stats/thresholds.h"
#include "tests/testsupport.h"
#include "tests/unit/reports/reportparsers.h"

#include <QGuiApplication>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QXmlStreamReader>
#include <QtTest>

using namespace evs;
using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(evs::RunStatus)

namespace {

const QString kScript = u"<script>alert(1)</script>"_s;
const QString kImg = u"\"><img src=x onerror=alert(1)>"_s;

QByteArray readAll(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// Table rows of the Markdown section titled `title`, cells unescaped of their padding.
QVector<QStringList> markdownTable(const QString& md, const QString& title)
{
    QVector<QStringList> rows;
    const QStringList lines = md.split(u'\n');
    qsizetype i = lines.indexOf(u"### "_s + title);
    if (i < 0)
        return rows;
    while (++i < lines.size() && !lines[i].startsWith(u'|'))
        ;
    for (i += 2; i < lines.size() && lines[i].startsWith(u'|'); ++i) {
        QStringList cells = lines[i].mid(2, lines[i].size() - 4).split(u" | "_s);
        for (auto& c : cells)
            c = c.trimmed();
        rows.append(cells);
    }
    return rows;
}

} // namespace

class TestReports : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_db;
    qint64 m_runId = 0;
    RunPlan m_plan;
    ResultsStore m_store;
    RunSummary m_summary;

    QString exportTo(ReportFormat f)
    {
        const QString path = m_dir.filePath(u"report."_s + reportFormatSuffix(f));
        QString error;
        if (!ReportWriter::write(m_db, m_runId, f, path, &error))
            qWarning("export failed: %s", qPrintable(error));
        return path;
    }

private Q_SLOTS:
    void initTestCase()
    {
        qRegisterMetaType<evs::RunStatus>();
        QVERIFY(m_dir.isValid());
        QFile data(m_dir.filePath(u"xss.jsonl"_s));
        QVERIFY(data.open(QIODevice::WriteOnly));
        const QStringList targets = { kScript, kImg, u"a | b `c` [x](javascript:alert(1))"_s, u"42"_s,
            u"line one\nline two, \"quoted\""_s, u"plain"_s };
        for (qsizetype i = 0; i < targets.size(); ++i) {
            data.write(QJsonDocument(
                           QJsonObject { { u"question"_s, u"Repeat item %1"_s.arg(i) }, { u"answer"_s, targets[i] } })
                           .toJson(QJsonDocument::Compact)
                + '\n');
        }
        data.close();
        const QByteArray plan = R"({
  "name": "report-test <b>&", "seed": 5,
  "models": [
    { "id": "sim-a", "provider": "simulator", "model": "sim-1", "concurrency": 8,
      "simulate": { "accuracy": 1, "latency_ms": 3, "tail_ms": 30, "token_ms": 0.2 } },
    { "id": "sim-b", "provider": "simulator", "model": "sim-1", "concurrency": 8,
      "retries": { "max_attempts": 2, "base_ms": 1, "max_ms": 5 },
      "simulate": { "accuracy": 0.5, "latency_ms": 5, "tail_ms": 40, "token_ms": 0.2, "faults": { "http_5xx": 0.2 } } }
  ],
  "benchmarks": [
    { "id": "xss", "dataset": "xss.jsonl", "fields": { "input": "question", "target": "answer" },
      "scorer": { "type": "exact_match" } },
    { "id": "mc", "dataset": "builtin:multiple-choice", "scorer": { "type": "multiple_choice" }, "limit": 30,
      "repeats": 2 }
  ],
  "thresholds": [ { "metric": "score", "op": ">=", "value": 0.9 },
                  { "metric": "latency_p95_ms", "op": "<", "value": 600000 },
                  { "metric": "error_rate", "op": "<", "value": 0.01, "model": "sim-b" } ]
})";
        PlanError planError;
        const auto parsed = PlanParser::parse(plan, m_dir.path(), &planError);
        QVERIFY2(parsed, qPrintable(planError.toString()));
        m_plan = *parsed;
        m_db = m_dir.filePath(u"store.sqlite"_s);
        RunController c;
        QString error;
        QSignalSpy finished(&c, &RunController::runFinished);
        QVERIFY2(c.start(m_plan, { m_db, 0 }, &error), qPrintable(error));
        QVERIFY(finished.wait(240000));
        QCOMPARE(finished.first().first().value<RunStatus>(), RunStatus::Completed);
        m_runId = c.runId();
        QVERIFY2(m_store.open(m_db, &error), qPrintable(error));
        const auto summary = computeRunSummary(m_store, m_runId, &error);
        QVERIFY2(summary, qPrintable(error));
        m_summary = *summary;
        QCOMPARE(m_summary.pairs.size(), 4);
    }

    void everyFormatWrites_data()
    {
        QTest::addColumn<QString>("format");
        for (const QString& f : reportFormatNames())
            QTest::addRow("%s", qPrintable(f)) << f;
    }
    void everyFormatWrites()
    {
        QFETCH(QString, format);
        const auto f = reportFormatFromName(format);
        QVERIFY(f);
        const QString path = m_dir.filePath(u"every."_s + reportFormatSuffix(*f));
        QString error;
        QVERIFY2(ReportWriter::write(m_db, m_runId, *f, path, &error), qPrintable(error));
        QVERIFY(QFileInfo(path).size() > 100);
        // The asynchronous entry point the GUI uses gives the same bytes (PDFs carry a creation time).
        const QString again = m_dir.filePath(u"async."_s + reportFormatSuffix(*f));
        auto future = ReportWriter::writeAsync(m_db, m_runId, *f, again);
        future.waitForFinished();
        QCOMPARE(future.result(), QString());
        if (*f != ReportFormat::Pdf && *f != ReportFormat::Html)
            QCOMPARE(readAll(again), readAll(path));
    }

    void jsonIsTheStoresSummary()
    {
        const QJsonObject doc = QJsonDocument::fromJson(readAll(exportTo(ReportFormat::Json))).object();
        const QJsonObject summary = doc.value(u"summary"_s).toObject();
        QCOMPARE(summary.value(u"pairs"_s).toArray(), m_summary.toJson().value(u"pairs"_s).toArray());
        // ... and equal to the exact summary the engine saved at the end of the run.
        test::SqlReader sql(m_db);
        QJsonObject saved
            = QJsonDocument::fromJson(sql.rows("SELECT summary_json FROM runs").first().first().toString().toUtf8())
                  .object();
        const QJsonValue savedThresholds = saved.take(u"thresholds"_s); // the engine keeps them with the summary
        QCOMPARE(summary, saved);
        if (!savedThresholds.isUndefined())
            QCOMPARE(doc.value(u"thresholds"_s), savedThresholds);
        const ThresholdReport thresholds = evaluateThresholds(m_plan.thresholds, m_summary, &m_store, m_runId);
        QCOMPARE(doc.value(u"thresholds"_s).toArray(), thresholds.toJson());
        QCOMPARE(doc.value(u"thresholds_passed"_s).toBool(), thresholds.allPassed());
        QVERIFY(thresholds.failedCount() > 0); // sim-b misses the score and error-rate thresholds
        qsizetype listed = 0;
        for (const MetricDefinition& def : metricDefinitions())
            listed += (def.lists & MetricDefinition::ReportList) ? 1 : 0;
        QCOMPARE(doc.value(u"definitions"_s).toArray().size(), listed);
        QCOMPARE(doc.value(u"run"_s).toObject().value(u"id"_s).toInteger(), m_runId);
    }

    // The top-level shape of each format is part of the product (scripts and dashboards read it): pinned here as
    // literals, so that a change to a format is a decision, not a side effect.
    void csvHeaderIsPinned()
    {
        const QByteArray csv = readAll(exportTo(ReportFormat::Csv));
        const qsizetype end = csv.indexOf("\r\n");
        QVERIFY(end > 0);
        QCOMPARE(csv.left(end),
            QByteArray("run_id,model,benchmark,sample_id,sample_index,repeat,category,status,error_class,http_status,"
                       "attempts,error_message,cached,send_ms,ttfb_ms,ttft_ms,latency_ms,itl_ms,input_tokens,"
                       "output_tokens,token_source,finish_reason,score,score_error,expected,response,explanation"));
        QVERIFY(csv.endsWith("\r\n")); // RFC 4180 line ends, the last line included
    }

    void jsonShapeIsPinned()
    {
        const QJsonObject doc = QJsonDocument::fromJson(readAll(exportTo(ReportFormat::Json))).object();
        QCOMPARE(doc.keys(),
            (QStringList { u"about"_s, u"definitions"_s, u"format"_s, u"format_version"_s, u"run"_s, u"summary"_s,
                u"thresholds"_s, u"thresholds_passed"_s }));
        QCOMPARE(doc.value(u"format"_s).toString(), u"evalsandbox-run-report"_s);
        QCOMPARE(doc.value(u"format_version"_s).toInt(), 1);
        QCOMPARE(doc.value(u"run"_s).toObject().keys(),
            (QStringList { u"app_version"_s, u"finished_at"_s, u"id"_s, u"name"_s, u"plan_hash"_s, u"planned_samples"_s,
                u"seed"_s, u"started_at"_s, u"status"_s, u"stored_records"_s }));
        QCOMPARE(doc.value(u"summary"_s).toObject().keys(),
            (QStringList { u"bad_records"_s, u"pairs"_s, u"run_id"_s, u"run_name"_s }));
        QCOMPARE(doc.value(u"definitions"_s).toArray().first().toObject().keys(),
            (QStringList { u"definition"_s, u"key"_s, u"term"_s, u"unit"_s }));
        for (const QJsonValue& t : doc.value(u"thresholds"_s).toArray())
            QCOMPARE(t.toObject().keys(),
                (QStringList {
                    u"actual"_s, u"benchmark"_s, u"metric"_s, u"model"_s, u"op"_s, u"passed"_s, u"value"_s }));
    }

    void jsonlShapeIsPinned()
    {
        const QStringList keys = { u"attempts"_s, u"benchmark"_s, u"benchmark_index"_s, u"cache_key"_s, u"cached"_s,
            u"category"_s, u"error_class"_s, u"error_message"_s, u"expected"_s, u"failed_attempts"_s,
            u"finish_reason"_s, u"http_status"_s, u"id"_s, u"input_tokens"_s, u"judge_prompt"_s, u"judge_response"_s,
            u"model"_s, u"model_index"_s, u"output_tokens"_s, u"prompt"_s, u"reasoning"_s, u"repeat"_s, u"response"_s,
            u"run_id"_s, u"sample_id"_s, u"sample_index"_s, u"score"_s, u"score_error"_s, u"score_explanation"_s,
            u"status"_s, u"t_end_ns"_s, u"t_first_content_ns"_s, u"t_first_token_ns"_s, u"t_headers_ns"_s,
            u"t_last_token_ns"_s, u"t_sched_ns"_s, u"t_send_ns"_s, u"t_wire_ns"_s, u"token_events"_s,
            u"token_source"_s };
        const QList<QByteArray> lines = readAll(exportTo(ReportFormat::Jsonl)).split('\n');
        QVERIFY(lines.size() > 2);
        for (qsizetype i = 0; i + 1 < lines.size(); ++i)
            QCOMPARE(QJsonDocument::fromJson(lines[i]).object().keys(), keys);
    }

    void markdownShapeIsPinned()
    {
        const QString md = QString::fromUtf8(readAll(exportTo(ReportFormat::Markdown)));
        QStringList headings;
        for (const QString& line : md.split(u'\n')) {
            if (line.startsWith(u"#"_s))
                headings << line;
        }
        QCOMPARE(headings,
            (QStringList { u"# Run %1: report-test &lt;b&gt;&amp;"_s.arg(m_runId), u"## Run"_s, u"## Summary"_s,
                u"### Quality"_s, u"### Latency (ms)"_s, u"### Throughput, tokens and cost"_s, u"### Errors by class"_s,
                u"### Score by category"_s, u"### pass@k and pass^k"_s /* the mc benchmark has two repeats */,
                u"### Thresholds"_s, u"## Sample responses"_s, u"## Metric definitions"_s }));
    }

    void htmlShapeIsPinned()
    {
        const QString html = QString::fromUtf8(readAll(exportTo(ReportFormat::Html)));
        QVERIFY2(html.startsWith(u"<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                                 "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
                                 "style-src 'unsafe-inline'; img-src data:\">\n"_s),
            qPrintable(html.left(300)));
        QVERIFY(html.endsWith(u"</body>\n</html>\n"_s));
        QStringList sections;
        static const QRegularExpression h2(u"<h2 id=\"([a-z]+)\">"_s);
        for (auto it = h2.globalMatch(html); it.hasNext();)
            sections << it.next().captured(1);
        QCOMPARE(sections, (QStringList { u"run"_s, u"summary"_s, u"charts"_s, u"samples"_s, u"definitions"_s }));
        QCOMPARE(html.count(u"<h1>"_s), 1);
    }

    void junitShapeIsPinned()
    {
        QFile f(exportTo(ReportFormat::Junit));
        QVERIFY(f.open(QIODevice::ReadOnly));
        QVERIFY(f.readLine().startsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"));
        f.seek(0);
        QXmlStreamReader xml(&f);
        QStringList suites;
        QString root;
        QStringList rootAttributes;
        while (!xml.atEnd()) {
            if (xml.readNext() != QXmlStreamReader::StartElement)
                continue;
            if (root.isEmpty()) {
                root = xml.name().toString();
                for (const auto& a : xml.attributes())
                    rootAttributes << a.name().toString();
            }
            if (xml.name() == u"testsuite"_s)
                suites << xml.attributes().value(u"name"_s).toString();
        }
        QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
        QCOMPARE(root, u"testsuites"_s);
        QCOMPARE(rootAttributes, (QStringList { u"name"_s, u"tests"_s, u"failures"_s, u"errors"_s }));
        QCOMPARE(suites, (QStringList { u"thresholds"_s, u"benchmarks"_s }));
    }

    void prometheusFamiliesArePinned()
    {
        QStringList families;
        for (const QString& line : QString::fromUtf8(readAll(exportTo(ReportFormat::Prometheus))).split(u'\n')) {
            if (line.startsWith(u"# TYPE "_s))
                families << line.mid(7).section(u' ', 0, 0);
        }
        QCOMPARE(families,
            (QStringList { u"evalsandbox_run_info"_s, u"evalsandbox_requests"_s, u"evalsandbox_requests_failed"_s,
                u"evalsandbox_error_ratio"_s, u"evalsandbox_errors"_s, u"evalsandbox_retried_attempts"_s,
                u"evalsandbox_scored_samples"_s, u"evalsandbox_score"_s, u"evalsandbox_score_ci_low"_s,
                u"evalsandbox_score_ci_high"_s, u"evalsandbox_score_errors"_s, u"evalsandbox_latency_seconds"_s,
                u"evalsandbox_latency_measured_requests"_s, u"evalsandbox_ttft_seconds"_s,
                u"evalsandbox_ttft_measured_requests"_s, u"evalsandbox_itl_seconds"_s,
                u"evalsandbox_itl_measured_requests"_s, u"evalsandbox_requests_per_second"_s,
                u"evalsandbox_output_tokens_per_second"_s, u"evalsandbox_duration_seconds"_s,
                u"evalsandbox_input_tokens"_s, u"evalsandbox_output_tokens"_s, u"evalsandbox_cost_usd"_s,
                u"evalsandbox_cache_hits"_s, u"evalsandbox_threshold_passed"_s, u"evalsandbox_threshold_actual"_s }));
    }

    void csvRowsAreTheStoredRecords()
    {
        QVector<QStringList> records;
        QVERIFY(test::parseCsv(QString::fromUtf8(readAll(exportTo(ReportFormat::Csv))), &records));
        QVERIFY(!records.isEmpty());
        const QStringList header = records.takeFirst();
        auto col = [&](const char* name) { return header.indexOf(QLatin1StringView(name)); };
        test::SqlReader sql(m_db);
        const auto rows = sql.rows("SELECT model_idx, benchmark_idx, sample_id, repeat, error_class, http_status, "
                                   "attempts, score, expected, response, COALESCE(t_last_token, t_end) - t_send, "
                                   "t_first_token - t_send, output_tokens, score_explanation FROM results ORDER BY id");
        QCOMPARE(records.size(), rows.size());
        QCOMPARE(qint64(records.size()), sql.scalar("SELECT COUNT(*) FROM results"));
        int failed = 0;
        for (qsizetype i = 0; i < rows.size(); ++i) {
            const QStringList& r = records[i];
            const auto& s = rows[i];
            QCOMPARE(r.size(), header.size());
            QCOMPARE(r[col("model")], m_plan.models[s[0].toInt()].id);
            QCOMPARE(r[col("benchmark")], m_plan.benchmarks[s[1].toInt()].id);
            QCOMPARE(r[col("sample_id")], s[2].toString());
            QCOMPARE(r[col("repeat")].toInt(), s[3].toInt());
            QCOMPARE(r[col("status")], s[4].isValid() ? u"failed"_s : u"ok"_s);
            QCOMPARE(r[col("error_class")], s[4].toString());
            QCOMPARE(r[col("http_status")].toInt(), s[5].toInt());
            QCOMPARE(r[col("attempts")].toInt(), s[6].toInt());
            if (s[7].isValid())
                QCOMPARE(r[col("score")].toDouble(), s[7].toDouble());
            else
                QVERIFY(r[col("score")].isEmpty());
            QCOMPARE(r[col("expected")], s[8].toString());
            QCOMPARE(r[col("response")], s[9].toString());
            QCOMPARE(r[col("explanation")], s[13].toString());
            if (s[10].isValid())
                QCOMPARE(r[col("latency_ms")], CsvExport::nsToMs(s[10].toLongLong()));
            if (s[11].isValid())
                QCOMPARE(r[col("ttft_ms")].toDouble(), s[11].toDouble() / 1e6);
            failed += s[4].isValid() ? 1 : 0;
        }
        QVERIFY(failed > 0);
    }

    void jsonlHasOneRecordPerRequest()
    {
        const QByteArray data = readAll(exportTo(ReportFormat::Jsonl));
        QList<QByteArray> lines = data.split('\n');
        QVERIFY(lines.last().isEmpty());
        lines.removeLast();
        test::SqlReader sql(m_db);
        QCOMPARE(qint64(lines.size()), sql.scalar("SELECT COUNT(*) FROM results"));
        const auto rows = sql.rows("SELECT id, response, attempts, t_send FROM results ORDER BY id");
        qint64 attempts = 0;
        for (qsizetype i = 0; i < lines.size(); ++i) {
            QJsonParseError pe;
            const QJsonObject o = QJsonDocument::fromJson(lines[i], &pe).object();
            QCOMPARE(pe.error, QJsonParseError::NoError);
            QCOMPARE(o.value(u"id"_s).toInteger(), rows[i][0].toLongLong());
            QCOMPARE(o.value(u"response"_s).toString(), rows[i][1].toString());
            QCOMPARE(o.value(u"attempts"_s).toInteger(), rows[i][2].toLongLong());
            QCOMPARE(o.value(u"t_send_ns"_s).toInteger(), rows[i][3].toLongLong());
            QVERIFY(o.contains(u"prompt"_s));
            attempts += o.value(u"failed_attempts"_s).toArray().size();
        }
        QCOMPARE(attempts, sql.scalar("SELECT COUNT(*) FROM attempts"));
        QVERIFY(attempts > 0); // sim-b's 5xx faults were retried
    }

    void markdownTablesCarryTheStoresNumbers()
    {
        const QString md = QString::fromUtf8(readAll(exportTo(ReportFormat::Markdown)));
        const auto quality = markdownTable(md, u"Quality"_s);
        const auto latency = markdownTable(md, u"Latency (ms)"_s);
        QCOMPARE(quality.size(), m_summary.pairs.size());
        QCOMPARE(latency.size(), m_summary.pairs.size());
        for (qsizetype i = 0; i < m_summary.pairs.size(); ++i) {
            const PairSummary& p = m_summary.pairs[i];
            QCOMPARE(quality[i][0], p.modelId);
            QCOMPARE(quality[i][1], p.benchmarkId);
            QCOMPARE(quality[i][2].toLongLong(), p.n);
            QCOMPARE(quality[i][3].toLongLong(), p.ok);
            QCOMPARE(quality[i][4].toLongLong(), p.failed);
            QVERIFY(std::abs(quality[i][7].toDouble() - p.scoreMean) <= 0.00005);
            QVERIFY(std::abs(quality[i][8].toDouble() - p.scoreCiLow) <= 0.00005);
            QVERIFY(std::abs(quality[i][9].toDouble() - p.scoreCiHigh) <= 0.00005);
            QCOMPARE(latency[i][2].toLongLong(), p.latencyMs.n);
            QVERIFY(std::abs(latency[i][3].toDouble() - p.latencyMs.p50) <= 0.0005);
            QVERIFY(std::abs(latency[i][5].toDouble() - p.latencyMs.p95) <= 0.0005);
            QVERIFY(std::abs(latency[i][6].toDouble() - p.latencyMs.p99) <= 0.0005);
            QVERIFY(std::abs(latency[i][8].toDouble() - p.latencyMs.max) <= 0.0005);
        }
        const auto thresholds = markdownTable(md, u"Thresholds"_s);
        const ThresholdReport tr = evaluateThresholds(m_plan.thresholds, m_summary, &m_store, m_runId);
        QCOMPARE(thresholds.size(), tr.results.size());
        QCOMPARE(qsizetype(md.count(u"| FAILED |"_s)), qsizetype(tr.failedCount()));
        QVERIFY(md.contains(u"## Metric definitions"_s));
    }

    void untrustedTextIsEscaped_data()
    {
        QTest::addColumn<int>("format");
        QTest::addRow("html") << int(ReportFormat::Html);
        QTest::addRow("markdown") << int(ReportFormat::Markdown);
    }
    void untrustedTextIsEscaped()
    {
        QFETCH(int, format);
        const QString text = QString::fromUtf8(readAll(exportTo(ReportFormat(format))));
        // The model answered these verbatim (accuracy 1): they are in the report, as text.
        QVERIFY(text.contains(u"&lt;script&gt;alert"_s));
        QVERIFY(text.contains(u"&lt;img src=x onerror=alert"_s));
        QVERIFY(text.contains(u"&lt;b&gt;&amp;"_s)); // the run's name
        const QString lower = text.toLower();
        QVERIFY(!lower.contains(u"<script"_s));
        QVERIFY(!lower.contains(u"<img"_s));
        QVERIFY(!lower.contains(u"<b>"_s));
        QVERIFY(!text.contains(u"\"><img"_s));
        // No tag carries an attribute from the data.
        QVERIFY(!text.contains(QRegularExpression(u"<[^>]*\\son\\w+="_s)));
        if (format == int(ReportFormat::Markdown)) {
            QVERIFY(!text.contains(u"](javascript"_s)); // no link could form
            QVERIFY(text.contains(u"\\[x\\]\\(javascript"_s));
            // Every table row keeps its column count: no pipe from a response split a cell.
            for (const QString& line : text.split(u'\n')) {
                if (line.startsWith(u"| sim-"_s))
                    QVERIFY2(line.count(QRegularExpression(u"(?<!\\\\)\\|"_s)) >= 3, qPrintable(line));
            }
        }
    }

    void htmlIsSelfContained()
    {
        const QString html = QString::fromUtf8(readAll(exportTo(ReportFormat::Html)));
        QVERIFY(html.startsWith(u"<!DOCTYPE html>"_s));
        QVERIFY(!html.contains(u"http://"_s));
        QVERIFY(!html.contains(u"https://"_s));
        const QString lower = html.toLower();
        // Nothing that could fetch: no src/href attribute in any tag, no CSS url() or @import, no embedding tags.
        QVERIFY(!lower.contains(QRegularExpression(u"<[^>]*\\s(src|href|xlink:href|srcset|action)\\s*="_s)));
        for (const QString& fetcher :
            { u"url("_s, u"@import"_s, u"<link"_s, u"<iframe"_s, u"<object"_s, u"<embed"_s, u"<image"_s, u"<use"_s })
            QVERIFY2(!lower.contains(fetcher), qPrintable(fetcher));
        QVERIFY(html.contains(u"Content-Security-Policy"_s));
        QCOMPARE(html.count(u"<svg"_s), 5);
        QCOMPARE(html.count(u"</svg>"_s), 5);
        QVERIFY(html.contains(u"<path"_s) || html.contains(u"<polyline"_s));
        for (const MetricDefinition& def : metricDefinitions()) {
            if (def.lists & MetricDefinition::ReportList)
                QVERIFY(html.contains(u"<dt>"_s + def.label.toString().toHtmlEscaped() + u"</dt>"_s));
        }
        // The quality table shows the store's counts.
        for (const PairSummary& p : m_summary.pairs)
            QVERIFY(html.contains(
                u"<td>%1</td><td>%2</td><td class=\"num\">%3</td>"_s.arg(p.modelId, p.benchmarkId).arg(p.n)));
    }

    void junitCountsTestsAndFailures()
    {
        QFile f(exportTo(ReportFormat::Junit));
        QVERIFY(f.open(QIODevice::ReadOnly));
        QXmlStreamReader xml(&f);
        int cases = 0, failures = 0, declaredTests = -1, declaredFailures = -1;
        QMap<QString, int> casesBySuite, failuresBySuite;
        QString suite;
        while (!xml.atEnd()) {
            if (xml.readNext() != QXmlStreamReader::StartElement)
                continue;
            if (xml.name() == u"testsuites"_s) {
                declaredTests = xml.attributes().value(u"tests"_s).toInt();
                declaredFailures = xml.attributes().value(u"failures"_s).toInt();
            } else if (xml.name() == u"testsuite"_s) {
                suite = xml.attributes().value(u"name"_s).toString();
            } else if (xml.name() == u"testcase"_s) {
                ++cases;
                ++casesBySuite[suite];
            } else if (xml.name() == u"failure"_s) {
                ++failures;
                ++failuresBySuite[suite];
            }
        }
        QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
        const ThresholdReport tr = evaluateThresholds(m_plan.thresholds, m_summary, &m_store, m_runId);
        QCOMPARE(casesBySuite.value(u"thresholds"_s), tr.results.size());
        QCOMPARE(failuresBySuite.value(u"thresholds"_s), tr.failedCount());
        QCOMPARE(casesBySuite.value(u"benchmarks"_s), m_summary.pairs.size());
        QSet<QPair<int, int>> failedPairs;
        for (const auto& r : tr.results) {
            if (!r.passed)
                failedPairs.insert({ r.modelIndex, r.benchmarkIndex });
        }
        QCOMPARE(failuresBySuite.value(u"benchmarks"_s), failedPairs.size());
        QCOMPARE(declaredTests, cases);
        QCOMPARE(declaredFailures, failures);
    }

    void prometheusExposesTheFinalFigures()
    {
        QString error;
        QMap<QString, QString> types;
        const auto samples
            = test::parsePrometheus(QString::fromUtf8(readAll(exportTo(ReportFormat::Prometheus))), &error, &types);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QVERIFY(!samples.isEmpty());
        auto find = [&](const QString& name, const PairSummary& p, const QString& quantile = {}) {
            for (const auto& s : samples) {
                if (s.name == name && s.labels.value(u"model"_s) == p.modelId
                    && s.labels.value(u"benchmark"_s) == p.benchmarkId
                    && (quantile.isEmpty() || s.labels.value(u"quantile"_s) == quantile))
                    return s.value;
            }
            return std::nan("");
        };
        for (const PairSummary& p : m_summary.pairs) {
            QCOMPARE(find(u"evalsandbox_requests"_s, p), double(p.n));
            QCOMPARE(find(u"evalsandbox_requests_failed"_s, p), double(p.failed));
            QCOMPARE(find(u"evalsandbox_score"_s, p), p.scoreMean);
            QCOMPARE(find(u"evalsandbox_score_ci_low"_s, p), p.scoreCiLow);
            QCOMPARE(find(u"evalsandbox_output_tokens"_s, p), double(p.outputTokens));
            QCOMPARE(find(u"evalsandbox_latency_seconds"_s, p, u"0.95"_s), p.latencyMs.p95 / 1000.0);
            QCOMPARE(find(u"evalsandbox_latency_seconds"_s, p, u"0.5"_s), p.latencyMs.p50 / 1000.0);
            QCOMPARE(find(u"evalsandbox_ttft_seconds"_s, p, u"0.99"_s), p.ttftMs.p99 / 1000.0);
            QCOMPARE(find(u"evalsandbox_latency_measured_requests"_s, p), double(p.latencyMs.n));
            QCOMPARE(find(u"evalsandbox_requests_per_second"_s, p), p.requestsPerS);
            for (auto it = p.errorsByClass.cbegin(); it != p.errorsByClass.cend(); ++it) {
                bool found = false;
                for (const auto& s : samples) {
                    if (s.name == u"evalsandbox_errors"_s && s.labels.value(u"model"_s) == p.modelId
                        && s.labels.value(u"benchmark"_s) == p.benchmarkId && s.labels.value(u"class"_s) == it.key()) {
                        QCOMPARE(s.value, double(it.value()));
                        found = true;
                    }
                }
                QVERIFY(found);
            }
        }
        const ThresholdReport tr = evaluateThresholds(m_plan.thresholds, m_summary, &m_store, m_runId);
        int passed = 0, checks = 0;
        for (const auto& s : samples) {
            if (s.name == u"evalsandbox_threshold_passed"_s) {
                ++checks;
                passed += int(s.value);
            }
        }
        QCOMPARE(checks, tr.results.size());
        QCOMPARE(passed, tr.results.size() - tr.failedCount());
        for (const auto& [name, type] : types.asKeyValueRange())
            QCOMPARE(type, u"gauge"_s);
    }

    // A run whose figures have no data: a model whose every request fails (latency, TTFT, ITL and score absent)
    // and a non-streamed one (ITL absent). Every format shows them as absent, never as 0.
    void absentFiguresAreNotZero()
    {
        const QByteArray planJson = R"({
  "name": "absent", "seed": 9,
  "models": [
    { "id": "down", "provider": "simulator", "model": "sim-1", "concurrency": 4, "retries": { "max_attempts": 1 },
      "simulate": { "latency_ms": 1, "tail_ms": 2, "token_ms": 0, "faults": { "http_5xx": 1 } } },
    { "id": "whole", "provider": "simulator", "model": "sim-1", "concurrency": 4, "stream": false,
      "simulate": { "accuracy": 1, "latency_ms": 1, "tail_ms": 2, "token_ms": 0.2, "output_tokens": 8 } }
  ],
  "benchmarks": [ { "id": "mc", "dataset": "builtin:multiple-choice", "scorer": { "type": "multiple_choice" },
                    "limit": 10 } ]
})";
        PlanError planError;
        const auto plan = PlanParser::parse(planJson, m_dir.path(), &planError);
        QVERIFY2(plan, qPrintable(planError.toString()));
        const QString db = m_dir.filePath(u"absent.sqlite"_s);
        RunController c;
        QString error;
        QSignalSpy finished(&c, &RunController::runFinished);
        QVERIFY2(c.start(*plan, { db, 0 }, &error), qPrintable(error));
        QVERIFY(finished.wait(120000));
        QCOMPARE(finished.first().first().value<RunStatus>(), RunStatus::Completed);
        auto exportAs = [&](ReportFormat f) {
            const QString path = m_dir.filePath(u"absent."_s + reportFormatSuffix(f));
            QString why;
            if (!ReportWriter::write(db, c.runId(), f, path, &why))
                qWarning("export failed: %s", qPrintable(why));
            return QString::fromUtf8(readAll(path));
        };
        const QString dash = kAbsentFigure.toString();

        // Markdown: the latency table's cells (n, then p50 … max, TTFT p50/p95/p99, ITL p50/p99).
        const QString md = exportAs(ReportFormat::Markdown);
        const auto latency = markdownTable(md, u"Latency (ms)"_s);
        QCOMPARE(latency.size(), 2);
        QCOMPARE(latency[0][0], u"down"_s);
        QCOMPARE(latency[0][2], u"0"_s);
        for (qsizetype i = 3; i < latency[0].size(); ++i)
            QCOMPARE(latency[0][i], dash);
        QCOMPARE(latency[1][0], u"whole"_s);
        QVERIFY(latency[1][2].toInt() > 0);
        QVERIFY(latency[1][3].toDouble() > 0); // a latency
        QVERIFY(latency[1][9].toDouble() > 0); // a TTFT: whole responses have one
        QCOMPARE(latency[1][12], dash); // but no ITL
        QCOMPARE(latency[1][13], dash);
        const auto quality = markdownTable(md, u"Quality"_s);
        for (qsizetype i = 7; i <= 10; ++i)
            QCOMPARE(quality[0][i], dash); // not scored: no score, interval or method

        // HTML: the same cells.
        const QString html = exportAs(ReportFormat::Html);
        const QString num = u"<td class=\"num\">%1</td>"_s;
        QVERIFY(
            html.contains(u"<tr><td>down</td><td>mc</td>"_s + num.arg(0) + num.arg(dash).repeated(11) + u"</tr>"_s));
        QVERIFY(html.contains(num.arg(dash).repeated(2) + u"</tr>"_s)); // whole: no ITL
        QVERIFY(!html.contains(u"NaN"_s));

        // CSV: empty cells, never 0.
        QVector<QStringList> records;
        QVERIFY(test::parseCsv(exportAs(ReportFormat::Csv), &records));
        const QStringList header = records.takeFirst();
        const auto col = [&](const char* name) { return header.indexOf(QLatin1StringView(name)); };
        QCOMPARE(records.size(), 20);
        for (const QStringList& r : records) {
            QVERIFY(r[col("itl_ms")].isEmpty());
            QCOMPARE(r[col("ttft_ms")].isEmpty(), r[col("model")] == u"down"_s);
        }

        // JSON: null.
        const QJsonObject doc = QJsonDocument::fromJson(exportAs(ReportFormat::Json).toUtf8()).object();
        const QJsonArray pairs = doc.value(u"summary"_s).toObject().value(u"pairs"_s).toArray();
        QCOMPARE(pairs.size(), 2);
        QVERIFY(pairs[0].toObject().value(u"latency_ms"_s).toObject().value(u"p50"_s).isNull());
        QVERIFY(pairs[0].toObject().value(u"ttft_ms"_s).toObject().value(u"p99"_s).isNull());
        QVERIFY(pairs[0].toObject().value(u"score"_s).toObject().value(u"mean"_s).isNull());
        QVERIFY(pairs[1].toObject().value(u"itl_ms"_s).toObject().value(u"p50"_s).isNull());
        QVERIFY(pairs[1].toObject().value(u"latency_ms"_s).toObject().value(u"p50"_s).toDouble() > 0);

        // Prometheus: no sample (HELP and TYPE stay), never NaN.
        const QString prom = exportAs(ReportFormat::Prometheus);
        QMap<QString, QString> types;
        const auto samples = test::parsePrometheus(prom, &error, &types);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QVERIFY(!prom.contains(u"NaN"_s));
        QVERIFY(prom.contains(u"# HELP evalsandbox_itl_seconds "_s));
        int downLatency = 0, wholeLatency = 0, wholeItl = 0, downMeasured = 0;
        for (const auto& smp : samples) {
            const bool down = smp.labels.value(u"model"_s) == u"down"_s;
            downLatency += down && smp.name == u"evalsandbox_latency_seconds"_s;
            wholeLatency += !down && smp.name == u"evalsandbox_latency_seconds"_s;
            wholeItl += !down && smp.name == u"evalsandbox_itl_seconds"_s;
            downMeasured += down && smp.name == u"evalsandbox_latency_measured_requests"_s && smp.value == 0;
        }
        QCOMPARE(downLatency, 0);
        QCOMPARE(wholeLatency, 6); // p50, p90, p95, p99, p99.9, max
        QCOMPARE(wholeItl, 0);
        QCOMPARE(downMeasured, 1); // the n is a real 0

        // JUnit: an empty property value.
        const QString junit = exportAs(ReportFormat::Junit);
        QVERIFY(junit.contains(u"<property name=\"latency_p95_ms\" value=\"\"/>"_s));
        QVERIFY(!junit.contains(u"NaN"_s));
    }

    void pdfHasPagesWithCharts()
    {
        const QString path = exportTo(ReportFormat::Pdf);
        const QByteArray pdf = readAll(path);
        QVERIFY(pdf.startsWith("%PDF-"));
        const qsizetype pages = QString::fromLatin1(pdf).count(QRegularExpression(u"/Type\\s*/Page(?![A-Za-z])"_s));
        QVERIFY2(pages >= 5, qPrintable(QString::number(pages)));
        // Content streams: chart pages hold many separate paths (each starts with a moveto "m"; tables are drawn
        // with rectangles "re") besides their text.
        int chartPages = 0;
        for (const QByteArray& s : test::pdfStreams(pdf)) {
            if (s.count(" m\n") >= 15 && s.contains("BT"))
                ++chartPages;
        }
        QVERIFY2(chartPages >= 3, qPrintable(QString::number(chartPages)));

        // Rendered by poppler (packaging/setup.sh installs poppler-utils, so CI never skips this): every page is an
        // image with ink, and the chart pages carry the series' colours.
        const QString pdftoppm = QStandardPaths::findExecutable(u"pdftoppm"_s);
        if (pdftoppm.isEmpty())
            QSKIP("pdftoppm (poppler-utils) is not installed");
        const QString prefix = m_dir.filePath(u"page"_s);
        QProcess p;
        p.start(pdftoppm, { u"-png"_s, u"-r"_s, u"40"_s, path, prefix });
        QVERIFY(p.waitForFinished(120000));
        QCOMPARE(p.exitCode(), 0);
        const QStringList pngs = QDir(m_dir.path()).entryList({ u"page*.png"_s }, QDir::Files, QDir::Name);
        QCOMPARE(pngs.size(), pages);
        int colourful = 0;
        for (const QString& png : pngs) {
            const QImage img(m_dir.filePath(png));
            QVERIFY(!img.isNull());
            QVERIFY(img.width() > img.height()); // landscape
            int ink = 0, colour = 0;
            for (int y = 0; y < img.height(); ++y) {
                for (int x = 0; x < img.width(); ++x) {
                    const QColor c = img.pixelColor(x, y);
                    ink += c.lightness() < 200 ? 1 : 0;
                    colour += (c.hsvSaturation() > 120 && c.value() > 80) ? 1 : 0;
                }
            }
            QVERIFY2(ink > 100, qPrintable(png));
            colourful += colour > 300 ? 1 : 0;
        }
        QVERIFY2(colourful >= 3, qPrintable(QString::number(colourful)));
    }
};

int main(int argc, char** argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QGuiApplication app(argc, argv);
    TestReports t;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&t, argc, argv);
}

#include "tst_reports.moc"
