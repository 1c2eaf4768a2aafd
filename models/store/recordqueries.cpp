#include "models/store/recordqueries.h"

#include "models/store/resultsstore.h"
#include "models/store/sqliteconnection.h"
#include "models/store/sqlitestatement.h"
#include "models/store/storesql.h"

#include <sqlite3.h>

using namespace Qt::StringLiterals;

namespace evs {

namespace {

// Always read, in this order (columns 0..22).
constexpr auto kCoreColumns
    = storesql::sql("r.id, r.model_idx, r.benchmark_idx, r.sample_idx, r.repeat, r.attempts, r.error_class, "
                    "r.http_status, r.t_sched, r.t_send, r.t_wire, r.t_headers, r.t_first_token, r.t_first_content, "
                    "r.t_last_token, r.t_end, r.input_tokens, r.output_tokens, r.token_events, r.score, "
                    "r.score_error, r.cached");
constexpr int kCoreCount = 22;
// RecordScan::texts (columns kCoreCount..kCoreCount + 11).
constexpr auto kTextColumns
    = storesql::sql(", r.sample_id, r.category, r.error_message, r.token_source, r.response, r.reasoning, "
                    "r.finish_reason, r.expected, r.score_explanation, r.judge_prompt, r.judge_response, r.cache_key");
constexpr int kTextCount = 12;

constexpr auto kAttemptsOfRun = storesql::sql("SELECT result_id, attempt, error_class, http_status, t_send, t_end, "
                                              "error_message FROM attempts WHERE run_id = ? ORDER BY result_id, "
                                              "attempt");
constexpr auto kAttemptsOfRecord = storesql::sql("SELECT result_id, attempt, error_class, http_status, t_send, t_end, "
                                                 "error_message FROM attempts WHERE result_id = ? ORDER BY attempt");

qint64 intOrMinus1(const SqliteStatement& s, int col)
{
    return s.isNull(col) ? -1 : s.int64(col);
}

void readCore(const SqliteStatement& s, StoredRecord& r)
{
    r.id = s.int64(0);
    r.modelIndex = int(s.int64(1));
    r.benchmarkIndex = int(s.int64(2));
    r.sampleIndex = s.int64(3);
    r.repeat = int(s.int64(4));
    r.attempts = int(s.int64(5));
    r.errorClass = s.text(6);
    r.httpStatus = int(s.int64(7));
    qint64* const times[] = { &r.t.schedNs, &r.t.sendNs, &r.t.wireNs, &r.t.headersNs, &r.t.firstTokenNs,
        &r.t.firstContentNs, &r.t.lastTokenNs, &r.t.endNs };
    for (int i = 0; i < 8; ++i)
        *times[i] = intOrMinus1(s, 8 + i);
    r.inputTokens = intOrMinus1(s, 16);
    r.outputTokens = intOrMinus1(s, 17);
    r.tokenEvents = int(s.int64(18));
    r.score = s.isNull(19) ? std::nan("") : s.real(19);
    r.scoreError = s.int64(20) != 0;
    r.cached = s.int64(21) != 0;
}

void readTexts(const SqliteStatement& s, StoredRecord& r, int c)
{
    for (QString* field : { &r.sampleId, &r.category, &r.errorMessage, &r.tokenSource, &r.response, &r.reasoning,
             &r.finishReason, &r.expected, &r.scoreExplanation, &r.judgePrompt, &r.judgeResponse, &r.cacheKey })
        *field = s.text(c++);
}

StoredAttempt readAttempt(const SqliteStatement& s)
{
    return { int(s.int64(1)), s.text(2), int(s.int64(3)), intOrMinus1(s, 4), intOrMinus1(s, 5), s.text(6) };
}

QString sqlFailure(const ResultsStore& store, const QString& doing)
{
    return u"%1 while %2"_s.arg(store.connection().errorMessage(), doing);
}

} // namespace

bool forEachRecord(const ResultsStore& store, qint64 runId, const RecordScan& scan,
    const std::function<bool(const StoredRecord&)>& f, QString* error)
{
    auto fail = [&](const QString& what) {
        if (error)
            *error = what;
        return false;
    };
    sqlite3* db = store.connection().get();
    if (!db)
        return fail(u"results store %1: not open"_s.arg(store.path()));

    QByteArray sql = QByteArray("SELECT ") + kCoreColumns.c_str();
    if (scan.texts)
        sql += kTextColumns.c_str();
    if (scan.prompt)
        sql += ", t.body FROM results r LEFT JOIN texts t ON t.hash = r.prompt_hash";
    else
        sql += " FROM results r";
    sql += " WHERE r.run_id = ? ORDER BY ";
    sql += scan.order == RecordScan::Order::End ? "r.t_end" : "r.id";
    SqliteStatement rows(db, sql.constData());
    if (!rows.isValid())
        return fail(u"reading records: %1"_s.arg(rows.prepareError()));
    rows.bindInt(1, runId);

    // In stored order the attempts are merged in from one scan in result order; otherwise read per record.
    const bool mergeAttempts = scan.attempts && scan.order == RecordScan::Order::Stored;
    SqliteStatement attempts(db, mergeAttempts ? kAttemptsOfRun.c_str() : kAttemptsOfRecord.c_str());
    if (scan.attempts && !attempts.isValid())
        return fail(u"reading records: %1"_s.arg(attempts.prepareError()));
    int attemptRc = SQLITE_DONE;
    if (mergeAttempts) {
        attempts.bindInt(1, runId);
        attemptRc = attempts.step();
    }

    const int promptCol = kCoreCount + (scan.texts ? kTextCount : 0);
    StoredRecord r;
    r.runId = runId;
    int rc = SQLITE_ERROR;
    while ((rc = rows.step()) == SQLITE_ROW) {
        readCore(rows, r);
        if (scan.texts)
            readTexts(rows, r, kCoreCount);
        if (scan.prompt)
            r.prompt = rows.text(promptCol);
        r.failedAttempts.clear();
        if (mergeAttempts) {
            while (attemptRc == SQLITE_ROW && attempts.int64(0) < r.id)
                attemptRc = attempts.step();
            while (attemptRc == SQLITE_ROW && attempts.int64(0) == r.id) {
                r.failedAttempts.push_back(readAttempt(attempts));
                attemptRc = attempts.step();
            }
            if (attemptRc != SQLITE_ROW && attemptRc != SQLITE_DONE)
                break;
        } else if (scan.attempts) {
            attempts.reset();
            attempts.bindInt(1, r.id);
            while ((attemptRc = attempts.step()) == SQLITE_ROW)
                r.failedAttempts.push_back(readAttempt(attempts));
            if (attemptRc != SQLITE_DONE)
                break;
        }
        if (!f(r))
            return true;
    }
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return fail(sqlFailure(store, u"reading the records of run %1"_s.arg(runId)));
    if (attemptRc != SQLITE_ROW && attemptRc != SQLITE_DONE)
        return fail(sqlFailure(store, u"reading the attempts of run %1"_s.arg(runId)));
    return true;
}

std::optional<QVector<StoredRecord>> readPairSamples(
    const ResultsStore& store, qint64 runId, int model, int benchmark, int limit, QString* error)
{
    static constexpr auto kSql = storesql::sql("SELECT sample_id, repeat, category, error_class, http_status, score, "
                                               "expected, response, score_explanation, error_message FROM results "
                                               "WHERE ",
        storesql::kPairWhere,
        " ORDER BY CASE WHEN error_class IS NOT NULL THEN 0 WHEN score IS NULL OR score < 1 THEN 1 ELSE 2 END, "
        "sample_idx, repeat LIMIT ?4");
    QVector<StoredRecord> out;
    SqliteStatement st(store.connection().get(), kSql.c_str());
    st.bindInt(1, runId);
    st.bindInt(2, model);
    st.bindInt(3, benchmark);
    st.bindInt(4, limit);
    int rc = SQLITE_ERROR;
    while (st.isValid() && (rc = st.step()) == SQLITE_ROW) {
        StoredRecord r;
        r.runId = runId;
        r.modelIndex = model;
        r.benchmarkIndex = benchmark;
        r.sampleId = st.text(0);
        r.repeat = int(st.int64(1));
        r.category = st.text(2);
        r.errorClass = st.text(3);
        r.httpStatus = int(st.int64(4));
        r.score = st.isNull(5) ? std::nan("") : st.real(5);
        r.expected = st.text(6);
        r.response = st.text(7);
        r.scoreExplanation = st.text(8);
        r.errorMessage = st.text(9);
        out.push_back(std::move(r));
    }
    if (rc != SQLITE_DONE) {
        if (error)
            *error = sqlFailure(store, u"reading samples of run %1"_s.arg(runId));
        return std::nullopt;
    }
    return out;
}

} // namespace evs
