#include "app/reports/csvexport.h"

#include "app/reports/reportdata.h"
#include "app/reports/reporttables.h"
#include "app/reports/textescape.h"
#include "models/store/sqlitestatement.h"

#include <QIODevice>

#include <sqlite3.h>

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
    sqlite3* db = store.handle();
    SqliteStatement rows(db,
        "SELECT model_idx, benchmark_idx, sample_id, sample_idx, repeat, category, error_class, http_status, "
        "attempts, error_message, cached, t_send, t_headers, t_first_token, t_last_token, t_end, input_tokens, "
        "output_tokens, token_source, finish_reason, score, score_error, expected, response, score_explanation "
        "FROM results WHERE run_id = ? ORDER BY id");
    if (!rows.isValid()) {
        *error = u"reading records: %1"_s.arg(rows.prepareError());
        return false;
    }
    rows.bindInt(1, d.run.id);
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
    auto since = [&](int col, qint64 send) {
        return (rows.isNull(col) || rows.isNull(11)) ? QString() : nsToMs(rows.int64(col) - send);
    };
    auto integer = [&](int col) { return rows.isNull(col) ? QString() : QString::number(rows.int64(col)); };
    int rc = SQLITE_ERROR;
    QStringList cells;
    while ((rc = rows.step()) == SQLITE_ROW) {
        const qint64 send = rows.isNull(11) ? 0 : rows.int64(11);
        const int lastCol = rows.isNull(14) ? 15 : 14; // latency: t_last_token, else t_end (docs/metrics.md)
        QString itl;
        // As in the summary: no ITL (an empty cell, not 0) when the first and last token came at one moment, as in
        // every whole response (docs/metrics.md, ITL).
        if (!rows.isNull(13) && !rows.isNull(14) && !rows.isNull(17) && rows.int64(17) > 1
            && rows.int64(14) > rows.int64(13)) {
            itl = ReportTables::exact(double(rows.int64(14) - rows.int64(13)) / 1e6 / double(rows.int64(17) - 1));
        }
        cells = { runId, d.modelId(int(rows.int64(0))), d.benchmarkId(int(rows.int64(1))), rows.text(2),
            QString::number(rows.int64(3)), QString::number(rows.int64(4)), rows.text(5),
            rows.isNull(6) ? u"ok"_s : u"failed"_s, rows.text(6), QString::number(rows.int64(7)),
            QString::number(rows.int64(8)), rows.text(9), rows.int64(10) ? u"1"_s : u"0"_s,
            rows.isNull(11) ? QString() : nsToMs(send), since(12, send), since(13, send), since(lastCol, send), itl,
            integer(16), integer(17), rows.text(18), rows.text(19),
            rows.isNull(20) ? QString() : ReportTables::exact(rows.real(20)), rows.int64(21) ? u"1"_s : u"0"_s,
            rows.text(22), rows.text(23), rows.text(24) };
        for (qsizetype i = 0; i < cells.size(); ++i) {
            if (i)
                buffer += ',';
            buffer += TextEscape::csvField(cells[i]).toUtf8();
        }
        buffer += "\r\n";
        if (buffer.size() > (1 << 20) && !flush(buffer))
            return false;
    }
    if (rc != SQLITE_DONE) {
        *error = u"%1 while reading the records of run %2"_s.arg(SqliteStatement::errorMessage(db)).arg(d.run.id);
        return false;
    }
    return flush(buffer);
}

} // namespace evs
