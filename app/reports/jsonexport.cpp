#include "app/reports/jsonexport.h"

#include "app/reports/reportdata.h"
#include "models/core/metricdefinitions.h"
#include "models/store/recordqueries.h"

#include <QIODevice>
#include <QJsonArray>
#include <QJsonDocument>

#include <cmath>

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

// A stored value as JSON: NULL (a null text, a -1 integer, a NaN score) is null.
QJsonValue nullable(const QString& v)
{
    return v.isNull() ? QJsonValue(QJsonValue::Null) : QJsonValue(v);
}

QJsonValue nullable(qint64 v)
{
    return v < 0 ? QJsonValue(QJsonValue::Null) : QJsonValue(v);
}

QJsonValue nullableScore(double v)
{
    return std::isnan(v) ? QJsonValue(QJsonValue::Null) : QJsonValue(v);
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
    const qint64 runId = d.run.id;
    RecordScan scan;
    scan.prompt = true;
    scan.attempts = true;
    QByteArray buffer;
    bool written = true;
    const bool read = forEachRecord(
        store, runId, scan,
        [&](const StoredRecord& r) {
            QJsonArray failed;
            for (const StoredAttempt& a : r.failedAttempts) {
                failed.append(
                    QJsonObject { { u"attempt"_s, qint64(a.attempt) }, { u"error_class"_s, nullable(a.errorClass) },
                        { u"http_status"_s, qint64(a.httpStatus) }, { u"t_send_ns"_s, nullable(a.sendNs) },
                        { u"t_end_ns"_s, nullable(a.endNs) }, { u"error_message"_s, nullable(a.errorMessage) } });
            }
            const QJsonObject o {
                { u"run_id"_s, runId },
                { u"id"_s, r.id },
                { u"model_index"_s, qint64(r.modelIndex) },
                { u"benchmark_index"_s, qint64(r.benchmarkIndex) },
                { u"sample_index"_s, r.sampleIndex },
                { u"repeat"_s, qint64(r.repeat) },
                { u"sample_id"_s, nullable(r.sampleId) },
                { u"category"_s, nullable(r.category) },
                { u"attempts"_s, qint64(r.attempts) },
                { u"error_class"_s, nullable(r.errorClass) },
                { u"http_status"_s, qint64(r.httpStatus) },
                { u"error_message"_s, nullable(r.errorMessage) },
                { u"t_sched_ns"_s, nullable(r.t.schedNs) },
                { u"t_send_ns"_s, nullable(r.t.sendNs) },
                { u"t_wire_ns"_s, nullable(r.t.wireNs) },
                { u"t_headers_ns"_s, nullable(r.t.headersNs) },
                { u"t_first_token_ns"_s, nullable(r.t.firstTokenNs) },
                { u"t_first_content_ns"_s, nullable(r.t.firstContentNs) },
                { u"t_last_token_ns"_s, nullable(r.t.lastTokenNs) },
                { u"t_end_ns"_s, nullable(r.t.endNs) },
                { u"input_tokens"_s, nullable(r.inputTokens) },
                { u"output_tokens"_s, nullable(r.outputTokens) },
                { u"token_source"_s, nullable(r.tokenSource) },
                { u"token_events"_s, qint64(r.tokenEvents) },
                { u"prompt"_s, nullable(r.prompt) },
                { u"response"_s, nullable(r.response) },
                { u"reasoning"_s, nullable(r.reasoning) },
                { u"finish_reason"_s, nullable(r.finishReason) },
                { u"expected"_s, nullable(r.expected) },
                { u"score"_s, nullableScore(r.score) },
                { u"score_explanation"_s, nullable(r.scoreExplanation) },
                { u"score_error"_s, r.scoreError },
                { u"judge_prompt"_s, nullable(r.judgePrompt) },
                { u"judge_response"_s, nullable(r.judgeResponse) },
                { u"cached"_s, r.cached },
                { u"cache_key"_s, nullable(r.cacheKey) },
                { u"model"_s, d.modelId(r.modelIndex) },
                { u"benchmark"_s, d.benchmarkId(r.benchmarkIndex) },
                { u"status"_s, r.ok() ? u"ok"_s : u"failed"_s },
                { u"failed_attempts"_s, failed },
            };
            buffer += QJsonDocument(o).toJson(QJsonDocument::Compact);
            buffer += '\n';
            if (buffer.size() > (1 << 20)) {
                if (!writeAll(out, buffer, error)) {
                    written = false;
                    return false;
                }
                buffer.clear();
            }
            return true;
        },
        error);
    if (!read || !written)
        return false;
    return writeAll(out, buffer, error);
}

} // namespace evs
