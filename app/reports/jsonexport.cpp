#include "app/reports/jsonexport.h"

#include "app/reports/reportdata.h"
#include "models/core/metricdefinitions.h"
#include "models/store/sqlitestatement.h"

#include <QIODevice>
#include <QJsonArray>
#include <QJsonDocument>

#include <sqlite3.h>

using namespace Qt::StringLiterals;

namespace evs {

namespace {

bool writeAll(QIODevice& out, const QByteArray& data, QString* error)
{
    if (out.write(data) != data.size()) {
        *error = u"cannot write: %1"_s.arg(out.errorString());
        return false;
    }
    return true;
}

QJsonValue nullable(const SqliteStatement& st, int col)
{
    if (st.isNull(col))
        return QJsonValue::Null;
    switch (sqlite3_column_type(st.get(), col)) {
    case SQLITE_INTEGER:
        return QJsonValue(st.int64(col));
    case SQLITE_FLOAT:
        return QJsonValue(st.real(col));
    default:
        return QJsonValue(st.text(col));
    }
}

} // namespace

QJsonObject JsonExport::document(const ReportData& d)
{
    QJsonArray definitions;
    for (const MetricDefinition& def : metricDefinitions()) {
        if (def.lists & MetricDefinition::ReportList) {
            definitions.append(QJsonObject { { u"key"_s, def.key.toString() }, { u"term"_s, def.label.toString() },
                { u"unit"_s, def.unit.toString() }, { u"definition"_s, def.definition.toString() } });
        }
    }
    const auto& r = d.run;
    const QJsonObject run { { u"id"_s, r.id }, { u"name"_s, r.name }, { u"status"_s, runStatusName(r.status) },
        { u"started_at"_s, r.startedAt.toUTC().toString(Qt::ISODateWithMs) },
        { u"finished_at"_s,
            r.finishedAt.isValid() ? QJsonValue(r.finishedAt.toUTC().toString(Qt::ISODateWithMs)) : QJsonValue::Null },
        { u"seed"_s, QString::number(r.seed) }, { u"plan_hash"_s, r.planHash }, { u"app_version"_s, r.appVersion },
        { u"planned_samples"_s, r.plannedSamples }, { u"stored_records"_s, r.storedRecords } };
    return QJsonObject {
        { u"format"_s, u"evalsandbox-run-report"_s },
        { u"format_version"_s, 1 },
        { u"run"_s, run },
        { u"summary"_s, d.summary.toJson() },
        { u"thresholds"_s, d.thresholdReport.toJson() },
        { u"thresholds_passed"_s, d.thresholdReport.allPassed() },
        { u"about"_s, metricReportPreamble() },
        { u"definitions"_s, definitions },
    };
}

bool JsonExport::write(const ReportData& d, QIODevice& out, QString* error)
{
    return writeAll(out, QJsonDocument(document(d)).toJson(QJsonDocument::Indented), error);
}

bool JsonlExport::write(const ResultsStore& store, const ReportData& d, QIODevice& out, QString* error)
{
    sqlite3* db = store.handle();
    const qint64 runId = d.run.id;
    // Results in id order, merged with their failed attempts (also in result order): two scans, no per-row query.
    SqliteStatement rows(db,
        "SELECT r.id, r.model_idx, r.benchmark_idx, r.sample_idx, r.repeat, r.sample_id, r.category, r.attempts, "
        "r.error_class, r.http_status, r.error_message, r.t_sched, r.t_send, r.t_wire, r.t_headers, r.t_first_token, "
        "r.t_first_content, r.t_last_token, r.t_end, r.input_tokens, r.output_tokens, r.token_source, "
        "r.token_events, t.body, r.response, r.reasoning, r.finish_reason, r.expected, r.score, r.score_explanation, "
        "r.score_error, r.judge_prompt, r.judge_response, r.cached, r.cache_key "
        "FROM results r LEFT JOIN texts t ON t.hash = r.prompt_hash WHERE r.run_id = ? ORDER BY r.id");
    SqliteStatement attempts(db,
        "SELECT result_id, attempt, error_class, http_status, t_send, t_end, error_message FROM attempts "
        "WHERE run_id = ? ORDER BY result_id, attempt");
    if (!rows.isValid() || !attempts.isValid()) {
        *error = u"reading records: %1"_s.arg(rows.isValid() ? attempts.prepareError() : rows.prepareError());
        return false;
    }
    rows.bindInt(1, runId);
    attempts.bindInt(1, runId);
    static const char* const kKeys[] = { "id", "model_index", "benchmark_index", "sample_index", "repeat", "sample_id",
        "category", "attempts", "error_class", "http_status", "error_message", "t_sched_ns", "t_send_ns", "t_wire_ns",
        "t_headers_ns", "t_first_token_ns", "t_first_content_ns", "t_last_token_ns", "t_end_ns", "input_tokens",
        "output_tokens", "token_source", "token_events", "prompt", "response", "reasoning", "finish_reason", "expected",
        "score", "score_explanation", "score_error", "judge_prompt", "judge_response", "cached", "cache_key" };
    int attemptRc = attempts.step();
    QByteArray buffer;
    int rc = SQLITE_ERROR;
    while ((rc = rows.step()) == SQLITE_ROW) {
        QJsonObject o;
        o.insert(u"run_id"_s, runId);
        for (int c = 0; c < int(std::size(kKeys)); ++c)
            o.insert(QLatin1StringView(kKeys[c]), nullable(rows, c));
        const int m = int(rows.int64(1));
        const int b = int(rows.int64(2));
        o.insert(u"model"_s, d.modelId(m));
        o.insert(u"benchmark"_s, d.benchmarkId(b));
        o.insert(u"status"_s, rows.isNull(8) ? u"ok"_s : u"failed"_s);
        o.insert(u"cached"_s, rows.int64(33) != 0);
        o.insert(u"score_error"_s, rows.int64(30) != 0);
        const qint64 id = rows.int64(0);
        QJsonArray failed;
        while (attemptRc == SQLITE_ROW && attempts.int64(0) < id)
            attemptRc = attempts.step();
        while (attemptRc == SQLITE_ROW && attempts.int64(0) == id) {
            failed.append(
                QJsonObject { { u"attempt"_s, attempts.int64(1) }, { u"error_class"_s, nullable(attempts, 2) },
                    { u"http_status"_s, attempts.int64(3) }, { u"t_send_ns"_s, nullable(attempts, 4) },
                    { u"t_end_ns"_s, nullable(attempts, 5) }, { u"error_message"_s, nullable(attempts, 6) } });
            attemptRc = attempts.step();
        }
        o.insert(u"failed_attempts"_s, failed);
        buffer += QJsonDocument(o).toJson(QJsonDocument::Compact);
        buffer += '\n';
        if (buffer.size() > (1 << 20)) {
            if (!writeAll(out, buffer, error))
                return false;
            buffer.clear();
        }
    }
    if (rc != SQLITE_DONE || (attemptRc != SQLITE_ROW && attemptRc != SQLITE_DONE)) {
        *error = u"%1 while reading the records of run %2"_s.arg(SqliteStatement::errorMessage(db)).arg(runId);
        return false;
    }
    return writeAll(out, buffer, error);
}

} // namespace evs
