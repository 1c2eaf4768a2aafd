#include "app/reports/csvexport.h"

#include "app/reports/reportdata.h"
#include "app/reports/reporttables.h"
#include "models/core/textescape.h"
#include "models/store/recordqueries.h"

#include <QIODevice>

#include <cmath>

using namespace Qt::StringLiterals;

namespace evs {

QStringList CsvExport::columns()
{
    return { u"run_id"_s, u"model"_s, u"benchmark"_s, u"sample_id"_s, u"sample_index"_s, u"repeat"_s, u"category"_s,
        u"status"_s, u"error_class"_s, u"http_status"_s, u"attempts"_s, u"error_message"_s, u"cached"_s, u"send_ms"_s,
        u"ttfb_ms"_s, u"ttft_ms"_s, u"latency_ms"_s, u"itl_ms"_s, u"input_tokens"_s, u"output_tokens"_s,
        u"token_source"_s, u"finish_reason"_s, u"score"_s, u"score_error"_s, u"expected"_s, u"response"_s,
        u"explanation"_s };
}

QString CsvExport::nsToMs(qint64 ns)
{
    const bool negative = ns < 0;
    const quint64 a = negative ? quint64(-(ns + 1)) + 1 : quint64(ns);
    return (negative ? u"-"_s : QString()) + QString::number(a / 1000000) + u'.'
        + QString::number(a % 1000000).rightJustified(6, u'0');
}

bool CsvExport::write(const ResultsStore& store, const ReportData& d, QIODevice& out, QString* error)
{
    auto flush = [&](QByteArray& buffer) {
        if (out.write(buffer) != buffer.size()) {
            *error = u"cannot write: %1"_s.arg(out.errorString());
            return false;
        }
        buffer.clear();
        return true;
    };
    QByteArray buffer = columns().join(u',').toUtf8() + "\r\n";
    const QString runId = QString::number(d.run.id);
    auto integer = [](qint64 v) { return v < 0 ? QString() : QString::number(v); };
    QStringList cells;
    bool written = true;
    const bool read = forEachRecord(
        store, d.run.id, RecordScan {},
        [&](const StoredRecord& r) {
            const qint64 send = r.t.sendNs;
            auto since = [&](qint64 t) { return (t < 0 || send < 0) ? QString() : nsToMs(t - send); };
            // latency: t_last_token, else t_end (docs/metrics.md)
            const qint64 last = r.t.lastTokenNs >= 0 ? r.t.lastTokenNs : r.t.endNs;
            QString itl;
            // As in the summary: no ITL (an empty cell, not 0) when the first and last token came at one moment, as
            // in every whole response (docs/metrics.md, ITL).
            if (r.t.firstTokenNs >= 0 && r.t.lastTokenNs >= 0 && r.outputTokens > 1
                && r.t.lastTokenNs > r.t.firstTokenNs) {
                itl = ReportTables::exact(
                    double(r.t.lastTokenNs - r.t.firstTokenNs) / 1e6 / double(r.outputTokens - 1));
            }
            cells = { runId, d.modelId(r.modelIndex), d.benchmarkId(r.benchmarkIndex), r.sampleId,
                QString::number(r.sampleIndex), QString::number(r.repeat), r.category, r.ok() ? u"ok"_s : u"failed"_s,
                r.errorClass, QString::number(r.httpStatus), QString::number(r.attempts), r.errorMessage,
                r.cached ? u"1"_s : u"0"_s, send < 0 ? QString() : nsToMs(send), since(r.t.headersNs),
                since(r.t.firstTokenNs), since(last), itl, integer(r.inputTokens), integer(r.outputTokens),
                r.tokenSource, r.finishReason, std::isnan(r.score) ? QString() : ReportTables::exact(r.score),
                r.scoreError ? u"1"_s : u"0"_s, r.expected, r.response, r.scoreExplanation };
            for (qsizetype i = 0; i < cells.size(); ++i) {
                if (i)
                    buffer += ',';
                buffer += TextEscape::csvField(cells[i]).toUtf8();
            }
            buffer += "\r\n";
            if (buffer.size() > (1 << 20) && !flush(buffer)) {
                written = false;
                return false;
            }
            return true;
        },
        error);
    if (!read || !written)
        return false;
    return flush(buffer);
}

} // namespace evs
