#include "models/core/metricdefinitions.h"
#include "models/stats/runsummary.h"
#include "models/stats/statistics.h"
#include "models/store/resultsstore.h"
#include "models/store/resultswriter.h"
#include "models/store/scoringstore.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <sqlite3.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <random>
#include <tuple>
#include <vector>

using namespace Qt::StringLiterals;
using namespace evs;

namespace {

// Hyndman & Fan (1996) definition 7, with 1-based order statistics: the published form of numpy's default,
// written independently of the implementation under test.
double hyndmanFan7(std::vector<double> x, double p)
{
    std::sort(x.begin(), x.end());
    const double h = double(x.size() - 1) * p + 1.0; // 1-based
    const double fl = std::floor(h);
    const auto at = [&](double k) { return x[size_t(std::min(k, double(x.size()))) - 1]; };
    return at(fl) + (h - fl) * (at(fl + 1) - at(fl));
}

std::vector<double> queryDoubles(sqlite3* db, const QByteArray& sql)
{
    std::vector<double> out;
    sqlite3_stmt* s = nullptr;
    if (sqlite3_prepare_v2(db, sql.constData(), -1, &s, nullptr) != SQLITE_OK)
        return out;
    while (sqlite3_step(s) == SQLITE_ROW)
        out.push_back(sqlite3_column_double(s, 0));
    sqlite3_finalize(s);
    return out;
}

constexpr const char* kPlan = R"({
  "name": "summary-test", "seed": 11,
  "models": [
    { "id": "fast", "provider": "simulator", "price_per_mtok": { "input": 0.5, "output": 1.5 } },
    { "id": "slow", "provider": "openai" }
  ],
  "benchmarks": [ { "id": "arith", "scorer": { "type": "exact" } }, { "id": "essay", "scorer": { "type": "judge" } } ]
})";

} // namespace

class TestStats : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void percentileKnownValues_data();
    void percentileKnownValues();
    void percentileMatchesDefinition_data();
    void percentileMatchesDefinition();
    void meanAndStandardError();
    void wilsonPublishedValues_data();
    void wilsonPublishedValues();
    void bootstrapIsDeterministic();
    void bootstrapCoversKnownMean_data();
    void bootstrapCoversKnownMean();
    void bootstrapShortcutAgreesWithResampling();

    void summaryMatchesStoredRecords();
    void summaryJsonRoundTrip();
    void summaryTextFitsTerminal();
    void summaryOfEmptyAndUnknownRuns();
    void absentFiguresAreNotZero_data();
    void absentFiguresAreNotZero();
    void olderZerosReadBackAsAbsent();

    void passAtKKnownValues_data();
    void passAtKKnownValues();
    void passHatKKnownValues_data();
    void passHatKKnownValues();
    void passAtKMatchesSubsetEnumeration();
    void passAtKIsStableForLargeN();
    void passKValues_data();
    void passKValues();
    void summaryCategoriesPassAtKAndCache();
    void summaryOfARescoring();
    void badRecordsInSummary();

private:
    struct Fixture {
        QTemporaryDir dir;
        ResultsStore store;
        qint64 runId = 0;
    };
    bool makeFixture(Fixture& f, int perPair);
};

void TestStats::percentileKnownValues_data()
{
    QTest::addColumn<std::vector<double>>("sorted");
    QTest::addColumn<double>("q");
    QTest::addColumn<double>("expected");
    const std::vector<double> oneToTen { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 };
    QTest::addRow("1..10 p0") << oneToTen << 0.0 << 1.0;
    QTest::addRow("1..10 p50") << oneToTen << 0.5 << 5.5;
    QTest::addRow("1..10 p90") << oneToTen << 0.9 << 9.1;
    QTest::addRow("1..10 p95") << oneToTen << 0.95 << 9.55;
    QTest::addRow("1..10 p99") << oneToTen << 0.99 << 9.91;
    QTest::addRow("1..10 p99.9") << oneToTen << 0.999 << 9.991;
    QTest::addRow("1..10 max") << oneToTen << 1.0 << 10.0;
    QTest::addRow("n=1 p50") << std::vector<double> { 7 } << 0.5 << 7.0;
    QTest::addRow("n=1 p99") << std::vector<double> { 7 } << 0.99 << 7.0;
    QTest::addRow("n=2 p50") << std::vector<double> { 1, 3 } << 0.5 << 2.0;
    QTest::addRow("n=2 p90") << std::vector<double> { 1, 3 } << 0.9 << 2.8;
    QTest::addRow("n=2 p0") << std::vector<double> { 1, 3 } << 0.0 << 1.0;
    QTest::addRow("ties") << std::vector<double> { 2, 2, 2, 5 } << 0.5 << 2.0;
    QTest::addRow("n=4 p25") << std::vector<double> { 10, 20, 30, 40 } << 0.25 << 17.5;
}

void TestStats::percentileKnownValues()
{
    QFETCH(std::vector<double>, sorted);
    QFETCH(double, q);
    QFETCH(double, expected);
    QVERIFY(std::abs(stats::percentileSorted(sorted, q) - expected) < 1e-9);
}

void TestStats::percentileMatchesDefinition_data()
{
    QTest::addColumn<int>("n");
    for (int n : { 1, 2, 3, 10, 101, 1000, 4097 })
        QTest::addRow("n=%d", n) << n;
}

void TestStats::percentileMatchesDefinition()
{
    QFETCH(int, n);
    std::mt19937_64 rng(static_cast<quint64>(n));
    std::lognormal_distribution<double> dist(4.0, 0.8); // latency-like: long right tail
    std::vector<double> v(static_cast<size_t>(n));
    for (auto& x : v)
        x = dist(rng);
    std::vector<double> sorted = v;
    std::sort(sorted.begin(), sorted.end());
    QVERIFY(std::isnan(stats::percentileSorted({}, 0.5)));
    for (double q : { 0.0, 0.01, 0.25, 0.5, 0.9, 0.95, 0.99, 0.999, 1.0 }) {
        const double got = stats::percentileSorted(sorted, q);
        const double want = hyndmanFan7(v, q);
        QVERIFY2(std::abs(got - want) <= 1e-9 * std::max(1.0, std::abs(want)),
            qPrintable(u"q=%1 got %2 want %3"_s.arg(q).arg(got).arg(want)));
    }
}

void TestStats::meanAndStandardError()
{
    const std::vector<double> v { 2, 4, 4, 4, 5, 5, 7, 9 };
    QCOMPARE(stats::mean(v), 5.0);
    // Sample sd = sqrt(32 / 7); se = sd / sqrt(8).
    QVERIFY(std::abs(stats::standardError(v) - std::sqrt(32.0 / 7.0) / std::sqrt(8.0)) < 1e-12);
    QCOMPARE(stats::standardError(std::vector<double> { 3 }), 0.0);
    QVERIFY(std::isnan(stats::mean({})));
}

void TestStats::wilsonPublishedValues_data()
{
    QTest::addColumn<qint64>("k");
    QTest::addColumn<qint64>("n");
    QTest::addColumn<double>("low");
    QTest::addColumn<double>("high");
    QTest::addRow("8/10") << qint64(8) << qint64(10) << 0.4902 << 0.9433;
    QTest::addRow("0/10") << qint64(0) << qint64(10) << 0.0 << 0.2775;
    QTest::addRow("10/10") << qint64(10) << qint64(10) << 0.7225 << 1.0;
    QTest::addRow("5/10") << qint64(5) << qint64(10) << 0.2366 << 0.7634;
    QTest::addRow("Newcombe 81/263") << qint64(81) << qint64(263) << 0.2553 << 0.3662;
}

void TestStats::wilsonPublishedValues()
{
    QFETCH(qint64, k);
    QFETCH(qint64, n);
    QFETCH(double, low);
    QFETCH(double, high);
    const auto [lo, hi] = stats::wilsonInterval(k, n);
    QVERIFY2(std::abs(lo - low) < 5e-5, qPrintable(QString::number(lo, 'f', 6)));
    QVERIFY2(std::abs(hi - high) < 5e-5, qPrintable(QString::number(hi, 'f', 6)));
    QVERIFY(lo >= 0 && hi <= 1);
}

void TestStats::bootstrapIsDeterministic()
{
    std::vector<double> v;
    for (int i = 0; i < 200; ++i)
        v.push_back(double((i * 37) % 11) / 2.0);
    const auto a = stats::bootstrapMeanInterval(v, 42);
    const auto b = stats::bootstrapMeanInterval(v, 42);
    const auto c = stats::bootstrapMeanInterval(v, 43);
    QCOMPARE(a, b);
    QVERIFY(a != c);
    const double m = stats::mean(v);
    QVERIFY(a.first < m && m < a.second);
    QCOMPARE(stats::bootstrapMeanInterval(std::vector<double> { 3.5 }, 1), std::make_pair(3.5, 3.5));
    QVERIFY(std::isnan(stats::bootstrapMeanInterval({}, 1).first));
}

void TestStats::bootstrapCoversKnownMean_data()
{
    QTest::addColumn<bool>("discrete");
    QTest::addRow("continuous (gamma)") << false;
    QTest::addRow("judge scores 1-5") << true;
}

void TestStats::bootstrapCoversKnownMean()
{
    // Many samples from a distribution of known mean: a 95 % interval must contain it about 95 % of the time.
    QFETCH(bool, discrete);
    constexpr int kTrials = 300;
    constexpr double kTrueMean = 3.0; // gamma(3, 1), and uniform on 1..5
    std::mt19937_64 rng(2024);
    std::gamma_distribution<double> gamma(3.0, 1.0);
    std::uniform_int_distribution<int> judge(1, 5);
    int covered = 0;
    double width = 0;
    for (int t = 0; t < kTrials; ++t) {
        std::vector<double> v(60);
        for (auto& x : v)
            x = discrete ? judge(rng) : gamma(rng);
        const auto [lo, hi] = stats::bootstrapMeanInterval(v, quint64(t), 1000);
        covered += (lo <= kTrueMean && kTrueMean <= hi) ? 1 : 0;
        width += hi - lo;
    }
    const double coverage = double(covered) / kTrials;
    qInfo("bootstrap coverage %.3f, mean width %.3f", coverage, width / kTrials);
    QVERIFY2(coverage > 0.89 && coverage < 0.99, qPrintable(QString::number(coverage)));
}

void TestStats::bootstrapShortcutAgreesWithResampling()
{
    // Few distinct values take the multinomial shortcut; a negligible jitter forces index resampling of the same
    // data. Both estimate the same interval, up to Monte Carlo error.
    std::vector<double> scores, jittered;
    for (int i = 0; i < 5000; ++i) {
        scores.push_back(double(1 + (i * 7919) % 5 / (i % 3 == 0 ? 2 : 1)));
        jittered.push_back(scores.back() + 1e-12 * i);
    }
    const auto a = stats::bootstrapMeanInterval(scores, 5, 4000);
    const auto b = stats::bootstrapMeanInterval(jittered, 5, 4000);
    const double width = a.second - a.first;
    QVERIFY(width > 0);
    QVERIFY2(std::abs(a.first - b.first) < 0.05 * width && std::abs(a.second - b.second) < 0.05 * width,
        qPrintable(u"%1 %2 vs %3 %4"_s.arg(a.first).arg(a.second).arg(b.first).arg(b.second)));
}

bool TestStats::makeFixture(Fixture& f, int perPair)
{
    const QString path = f.dir.filePath(u"results.sqlite"_s);
    QString error;
    if (!f.store.open(path, &error))
        return false;
    f.runId = f.store.createRun(u"summary-test"_s, kPlan, 11, -1, &error).value_or(0);
    ResultsWriter writer(path);
    if (!writer.start(&error))
        return false;
    std::mt19937_64 rng(99);
    std::lognormal_distribution<double> latencyMs(5.0, 0.6);
    std::uniform_real_distribution<double> unit(0, 1);
    for (int m = 0; m < 2; ++m) {
        for (int b = 0; b < 2; ++b) {
            for (int s = 0; s < perPair; ++s) {
                RequestRecord r;
                r.runId = f.runId;
                r.modelIndex = m;
                r.benchmarkIndex = b;
                r.sampleIndex = s;
                r.t.sendNs = qint64(s) * 3'000'000 + qint64(unit(rng) * 1e6);
                const qint64 lat = qint64(latencyMs(rng) * 1e6);
                r.t.headersNs = r.t.sendNs + lat / 10;
                r.inputTokens = 40 + s % 7;
                const double u = unit(rng);
                if (u < 0.05) {
                    r.errorClass = ErrorClass::Timeout;
                    r.t.endNs = r.t.sendNs + 60'000'000'000;
                    r.inputTokens = -1;
                } else if (u < 0.08) {
                    r.errorClass = ErrorClass::Http5xx;
                    r.httpStatus = 503;
                    r.t.endNs = r.t.headersNs;
                    r.inputTokens = -1;
                } else {
                    r.outputTokens = 1 + s % 30;
                    if (s % 4 == 0) {
                        r.t.endNs = r.t.sendNs + lat; // not streamed: no token times
                    } else {
                        r.t.firstTokenNs = r.t.sendNs + lat / 5;
                        r.t.lastTokenNs = r.t.sendNs + lat;
                        r.t.endNs = r.t.lastTokenNs + 100'000;
                    }
                    r.score = b == 0 ? (unit(rng) < 0.7 ? 1.0 : 0.0) : std::round(unit(rng) * 4 + 1);
                    r.cached = s % 10 == 3;
                }
                if (s % 9 == 0)
                    r.failedAttempts.push_back(
                        { 1, ErrorClass::Http429, 429, r.t.sendNs - 1000, r.t.sendNs - 500, {} });
                if (!writer.enqueue(std::move(r)))
                    return false;
            }
        }
    }
    return writer.flush();
}

void TestStats::summaryMatchesStoredRecords()
{
    Fixture f;
    QVERIFY(makeFixture(f, 1500));
    QString error;
    const auto summary = computeRunSummary(f.store, f.runId, &error);
    QVERIFY2(summary, qPrintable(error));
    QCOMPARE(summary->pairs.size(), 4);
    QCOMPARE(summary->runName, u"summary-test"_s);
    sqlite3* db = f.store.handle();

    for (const auto& p : summary->pairs) {
        const QByteArray where = "WHERE run_id = " + QByteArray::number(f.runId) + " AND model_idx = "
            + QByteArray::number(p.modelIndex) + " AND benchmark_idx = " + QByteArray::number(p.benchmarkIndex);
        QCOMPARE(p.modelId, p.modelIndex == 0 ? u"fast"_s : u"slow"_s);
        QCOMPARE(p.benchmarkId, p.benchmarkIndex == 0 ? u"arith"_s : u"essay"_s);
        QCOMPARE(p.n, 1500);
        const auto count = [&](const QByteArray& sql) { return qint64(queryDoubles(db, sql).at(0)); };
        QCOMPARE(p.failed, count("SELECT COUNT(*) FROM results " + where + " AND error_class IS NOT NULL"));
        QCOMPARE(p.ok + p.failed, p.n);
        QCOMPARE(p.errorsByClass.value(u"timeout"_s),
            count("SELECT COUNT(*) FROM results " + where + " AND error_class = 'timeout'"));
        QCOMPARE(p.errorsByClass.value(u"http_5xx"_s),
            count("SELECT COUNT(*) FROM results " + where + " AND error_class = 'http_5xx'"));
        QCOMPARE(p.errorsByClass.size(), 2);
        QCOMPARE(p.retriedAttempts, 167); // samples 0, 9, ..., 1494

        // Cached responses were not measured: they count as hits and stay out of every timing and rate.
        const qint64 hits = count("SELECT COUNT(*) FROM results " + where + " AND cached = 1");
        QVERIFY(hits > 0);
        QCOMPARE(p.cacheHits, hits);
        QCOMPARE(p.cacheMisses, 0); // no cache key recorded: the cache was off for the rest

        // Latency: last token, or end for whole responses; successful, measured requests only.
        const auto latency = queryDoubles(db,
            "SELECT (COALESCE(t_last_token, t_end) - t_send) / 1e6 FROM results " + where
                + " AND error_class IS NULL AND cached = 0");
        QCOMPARE(p.latencyMs.n, qint64(latency.size()));
        QCOMPARE(p.latencyMs.n, p.ok - hits);
        const auto close = [](double a, double b) { return std::abs(a - b) <= 1e-9 * std::max(1.0, std::abs(b)); };
        QVERIFY(close(p.latencyMs.p50, hyndmanFan7(latency, 0.5)));
        QVERIFY(close(p.latencyMs.p90, hyndmanFan7(latency, 0.9)));
        QVERIFY(close(p.latencyMs.p95, hyndmanFan7(latency, 0.95)));
        QVERIFY(close(p.latencyMs.p99, hyndmanFan7(latency, 0.99)));
        QVERIFY(close(p.latencyMs.p999, hyndmanFan7(latency, 0.999)));
        QVERIFY(close(p.latencyMs.max, *std::max_element(latency.begin(), latency.end())));

        const auto ttft = queryDoubles(db,
            "SELECT (t_first_token - t_send) / 1e6 FROM results " + where
                + " AND error_class IS NULL AND cached = 0 AND t_first_token IS NOT NULL");
        QCOMPARE(p.ttftMs.n, qint64(ttft.size()));
        QVERIFY(p.ttftMs.n < p.ok); // whole responses have no first token
        QVERIFY(close(p.ttftMs.p50, hyndmanFan7(ttft, 0.5)));
        QVERIFY(close(p.ttftMs.p99, hyndmanFan7(ttft, 0.99)));

        const auto itl = queryDoubles(db,
            "SELECT (t_last_token - t_first_token) / 1e6 / (output_tokens - 1) FROM results " + where
                + " AND error_class IS NULL AND cached = 0 AND t_first_token IS NOT NULL AND output_tokens > 1");
        QCOMPARE(p.itlMs.n, qint64(itl.size()));
        QVERIFY(close(p.itlMs.p50, hyndmanFan7(itl, 0.5)));

        const auto scores = queryDoubles(db, "SELECT score FROM results " + where + " AND score IS NOT NULL");
        QCOMPARE(p.scored, qint64(scores.size()));
        double sum = 0;
        for (double s : scores)
            sum += s;
        QVERIFY(close(p.scoreMean, sum / double(scores.size())));
        QVERIFY(p.scoreCiLow < p.scoreMean && p.scoreMean < p.scoreCiHigh);
        QVERIFY(p.scoreStdErr > 0);
        if (p.benchmarkIndex == 0) {
            QCOMPARE(p.ciMethod, u"wilson"_s);
            const auto [lo, hi] = stats::wilsonInterval(qint64(sum), p.scored);
            QCOMPARE(p.scoreCiLow, lo);
            QCOMPARE(p.scoreCiHigh, hi);
        } else {
            QCOMPARE(p.ciMethod, u"bootstrap"_s);
        }

        const double first = queryDoubles(db, "SELECT MIN(t_send) FROM results " + where + " AND cached = 0").at(0);
        const double last = queryDoubles(db, "SELECT MAX(t_end) FROM results " + where + " AND cached = 0").at(0);
        QVERIFY(close(p.durationS, (last - first) / 1e9));
        QVERIFY(close(p.requestsPerS, double(1500 - hits) / p.durationS));
        const double outTokens = queryDoubles(db, "SELECT TOTAL(output_tokens) FROM results " + where).at(0);
        QCOMPARE(p.outputTokens, qint64(outTokens));
        const double measuredOut
            = queryDoubles(db, "SELECT TOTAL(output_tokens) FROM results " + where + " AND cached = 0").at(0);
        QVERIFY(close(p.outputTokensPerS, measuredOut / p.durationS));
        // Cached records are scored like any other (checked above: scored counts every score).
        QCOMPARE(p.inputTokens, qint64(queryDoubles(db, "SELECT TOTAL(input_tokens) FROM results " + where).at(0)));
        if (p.modelIndex == 0) {
            const double billedIn
                = queryDoubles(db, "SELECT TOTAL(input_tokens) FROM results " + where + " AND cached = 0").at(0);
            const double billedOut
                = queryDoubles(db, "SELECT TOTAL(output_tokens) FROM results " + where + " AND cached = 0").at(0);
            QVERIFY(close(p.costUsd, (billedIn * 0.5 + billedOut * 1.5) / 1e6));
            QVERIFY(p.costUsd > 0);
        } else {
            QCOMPARE(p.costUsd, 0.0); // no price in the plan
        }
    }

    // Deterministic: the same store gives the same figures, bootstrap included.
    const auto again = computeRunSummary(f.store, f.runId, &error);
    QCOMPARE(QJsonDocument(again->toJson()).toJson(), QJsonDocument(summary->toJson()).toJson());
}

void TestStats::summaryJsonRoundTrip()
{
    Fixture f;
    QVERIFY(makeFixture(f, 200));
    QString error;
    const auto summary = computeRunSummary(f.store, f.runId, &error);
    QVERIFY2(summary, qPrintable(error));
    QVERIFY(f.store.saveSummary(f.runId, summary->toJson(), &error));
    const auto stored = f.store.run(f.runId)->summary;
    const auto parsed = RunSummary::fromJson(stored);
    QVERIFY(parsed);
    QCOMPARE(parsed->toJson(), summary->toJson());
    QCOMPARE(parsed->pairs.size(), summary->pairs.size());
    const auto& a = parsed->pairs[1];
    const auto& b = summary->pairs[1];
    QCOMPARE(a.latencyMs.p99, b.latencyMs.p99);
    QCOMPARE(a.errorsByClass, b.errorsByClass);
    QCOMPARE(a.scoreCiHigh, b.scoreCiHigh);
    QCOMPARE(a.costUsd, b.costUsd);
    QVERIFY(!RunSummary::fromJson(QJsonObject { { u"pairs"_s, 3 } }));
}

void TestStats::summaryTextFitsTerminal()
{
    Fixture f;
    QVERIFY(makeFixture(f, 300));
    QString error;
    const auto summary = computeRunSummary(f.store, f.runId, &error);
    QVERIFY2(summary, qPrintable(error));
    const QString text = summary->toText();
    for (const auto& needle : { u"fast / arith"_s, u"slow / essay"_s, u"p99"_s, u"TTFT"_s, u"ITL"_s, u"timeout"_s,
             u"req/s"_s, u"cost $"_s, u"wilson"_s, u"bootstrap"_s })
        QVERIFY2(text.contains(needle), qPrintable(needle));
    for (const auto& line : text.split(u'\n'))
        QVERIFY2(line.size() <= 100, qPrintable(line));
    qInfo().noquote() << '\n' << text;
}

void TestStats::summaryOfEmptyAndUnknownRuns()
{
    QTemporaryDir dir;
    ResultsStore store;
    QString error;
    QVERIFY(store.open(dir.filePath(u"r.sqlite"_s), &error));
    const qint64 runId = *store.createRun(u"empty"_s, "not json", 1, -1, &error);
    const auto summary = computeRunSummary(store, runId, &error);
    QVERIFY2(summary, qPrintable(error));
    QVERIFY(summary->pairs.isEmpty());
    QVERIFY(summary->toText().contains(u"no records"_s));
    QVERIFY(!computeRunSummary(store, runId + 1, &error));
    QVERIFY2(error.contains(u"no run"_s), qPrintable(error));
}

void TestStats::passAtKKnownValues_data()
{
    QTest::addColumn<qint64>("n");
    QTest::addColumn<qint64>("c");
    QTest::addColumn<qint64>("k");
    QTest::addColumn<double>("expected");
    // 1 - C(n-c, k) / C(n, k), worked by hand.
    QTest::addRow("n5 c2 k2") << qint64(5) << qint64(2) << qint64(2) << 0.7; // 1 - 3/10
    QTest::addRow("n5 c2 k1") << qint64(5) << qint64(2) << qint64(1) << 0.4;
    QTest::addRow("n5 c0 k3") << qint64(5) << qint64(0) << qint64(3) << 0.0;
    QTest::addRow("n5 c5 k1") << qint64(5) << qint64(5) << qint64(1) << 1.0;
    QTest::addRow("n3 c1 k3 (n-c < k)") << qint64(3) << qint64(1) << qint64(3) << 1.0;
    QTest::addRow("n10 c3 k5") << qint64(10) << qint64(3) << qint64(5) << 1.0 - 21.0 / 252.0;
    QTest::addRow("n200 c1 k100") << qint64(200) << qint64(1) << qint64(100) << 0.5;
    QTest::addRow("n20 c4 k10") << qint64(20) << qint64(4) << qint64(10) << 1.0 - 8008.0 / 184756.0;
}

void TestStats::passAtKKnownValues()
{
    QFETCH(qint64, n);
    QFETCH(qint64, c);
    QFETCH(qint64, k);
    QFETCH(double, expected);
    QVERIFY2(std::abs(stats::passAtK(n, c, k) - expected) < 1e-12,
        qPrintable(QString::number(stats::passAtK(n, c, k), 'g', 17)));
}

void TestStats::passHatKKnownValues_data()
{
    QTest::addColumn<qint64>("n");
    QTest::addColumn<qint64>("c");
    QTest::addColumn<qint64>("k");
    QTest::addColumn<double>("expected");
    // C(c, k) / C(n, k), worked by hand.
    QTest::addRow("n5 c3 k2") << qint64(5) << qint64(3) << qint64(2) << 0.3; // 3/10
    QTest::addRow("n5 c3 k1") << qint64(5) << qint64(3) << qint64(1) << 0.6;
    QTest::addRow("n5 c5 k5") << qint64(5) << qint64(5) << qint64(5) << 1.0;
    QTest::addRow("n5 c4 k5") << qint64(5) << qint64(4) << qint64(5) << 0.0;
    QTest::addRow("n10 c7 k3") << qint64(10) << qint64(7) << qint64(3) << 35.0 / 120.0;
    QTest::addRow("n4 c0 k1") << qint64(4) << qint64(0) << qint64(1) << 0.0;
}

void TestStats::passHatKKnownValues()
{
    QFETCH(qint64, n);
    QFETCH(qint64, c);
    QFETCH(qint64, k);
    QFETCH(double, expected);
    QVERIFY2(std::abs(stats::passHatK(n, c, k) - expected) < 1e-12,
        qPrintable(QString::number(stats::passHatK(n, c, k), 'g', 17)));
}

void TestStats::passAtKMatchesSubsetEnumeration()
{
    // The definitions themselves: over every k-subset of the n attempts, the share with at least one (pass@k) or
    // only (pass^k) correct attempts.
    for (int n = 1; n <= 8; ++n) {
        for (int c = 0; c <= n; ++c) {
            for (int k = 1; k <= n; ++k) {
                int subsets = 0, any = 0, all = 0;
                for (unsigned mask = 0; mask < (1u << n); ++mask) {
                    if (std::popcount(mask) != k)
                        continue;
                    ++subsets;
                    const int correct = std::popcount(mask & ((1u << c) - 1)); // attempts 0..c-1 are correct
                    any += correct > 0 ? 1 : 0;
                    all += correct == k ? 1 : 0;
                }
                QVERIFY(std::abs(stats::passAtK(n, c, k) - double(any) / subsets) < 1e-12);
                QVERIFY(std::abs(stats::passHatK(n, c, k) - double(all) / subsets) < 1e-12);
            }
        }
    }
    QVERIFY(std::isnan(stats::passAtK(3, 1, 4)));
    QVERIFY(std::isnan(stats::passAtK(3, 1, 0)));
    QVERIFY(std::isnan(stats::passHatK(3, 4, 1)));
}

void TestStats::passAtKIsStableForLargeN()
{
    // C(1000, 500) overflows a double; the product form does not. Reference through log-gamma.
    const auto logC
        = [](double n, double k) { return std::lgamma(n + 1) - std::lgamma(k + 1) - std::lgamma(n - k + 1); };
    for (const auto& [n, c, k] :
        { std::tuple { 1000, 5, 10 }, std::tuple { 1000, 1, 500 }, std::tuple { 5000, 20, 100 } }) {
        const double expected = 1.0 - std::exp(logC(n - c, k) - logC(n, k));
        const double got = stats::passAtK(n, c, k);
        QVERIFY2(std::isfinite(got) && std::abs(got - expected) < 1e-9, qPrintable(QString::number(got)));
        const double hat = stats::passHatK(n, n - c, k);
        QVERIFY(std::isfinite(hat) && std::abs(hat - std::exp(logC(n - c, k) - logC(n, k))) < 1e-9);
    }
}

void TestStats::passKValues_data()
{
    QTest::addColumn<int>("repeats");
    QTest::addColumn<QVector<int>>("ks");
    QTest::addRow("1") << 1 << QVector<int> {};
    QTest::addRow("2") << 2 << QVector<int> { 1, 2 };
    QTest::addRow("5") << 5 << QVector<int> { 1, 2, 4, 5 };
    QTest::addRow("8") << 8 << QVector<int> { 1, 2, 4, 8 };
    QTest::addRow("10") << 10 << QVector<int> { 1, 2, 4, 8, 10 };
}

void TestStats::passKValues()
{
    QFETCH(int, repeats);
    QFETCH(QVector<int>, ks);
    const auto got = stats::passKValues(repeats);
    QCOMPARE(QVector<int>(got.begin(), got.end()), ks);
}

namespace {

// One model x one benchmark with 4 repeats; samples alternate categories "algebra" and "geometry".
// correct[s] attempts of sample s score 1 (the first ones), the rest 0; sample 5 has one failed attempt.
constexpr const char* kRepeatPlan = R"({"name":"rep","seed":3,"models":[{"id":"m"}],
  "benchmarks":[{"id":"math","repeats":4},{"id":"other","repeats":1}]})";
constexpr int kCorrect[] = { 0, 1, 2, 3, 4, 2, 4, 1 };

bool makeRepeatFixture(ResultsStore& store, const QString& path, qint64* runId)
{
    QString error;
    if (!store.open(path, &error))
        return false;
    *runId = store.createRun(u"rep"_s, kRepeatPlan, 3, -1, &error).value_or(0);
    ResultsWriter writer(path);
    if (!writer.start(&error))
        return false;
    for (int s = 0; s < 8; ++s) {
        for (int r = 0; r < 4; ++r) {
            RequestRecord rec;
            rec.runId = *runId;
            rec.sampleIndex = s;
            rec.repeat = r;
            rec.category = s % 2 == 0 ? u"algebra"_s : u"geometry"_s;
            rec.t.sendNs = (s * 4 + r) * 1'000'000;
            rec.t.endNs = rec.t.sendNs + 500'000;
            rec.response = u"x"_s;
            rec.cacheKey = QByteArray::number(s * 4 + r);
            rec.cached = r == 3; // the last repeat of each sample came from the cache
            if (s == 5 && r == 3) {
                rec.errorClass = ErrorClass::Timeout;
                rec.cached = false;
            } else {
                rec.score = r < kCorrect[s] ? 1.0 : 0.0;
            }
            if (!writer.enqueue(std::move(rec)))
                return false;
        }
    }
    RequestRecord other; // a second benchmark, no repeats
    other.runId = *runId;
    other.benchmarkIndex = 1;
    other.score = 1;
    other.scoreError = false;
    if (!writer.enqueue(std::move(other)))
        return false;
    return writer.flush();
}

} // namespace

void TestStats::summaryCategoriesPassAtKAndCache()
{
    QTemporaryDir dir;
    ResultsStore store;
    qint64 runId = 0;
    QVERIFY(makeRepeatFixture(store, dir.filePath(u"rep.sqlite"_s), &runId));
    QString error;
    const auto summary = computeRunSummary(store, runId, &error);
    QVERIFY2(summary, qPrintable(error));
    QCOMPARE(summary->pairs.size(), 2);
    const PairSummary& p = summary->pairs[0];
    QCOMPARE(p.scored, 31);
    QCOMPARE(p.cacheHits, 7);
    QCOMPARE(p.cacheMisses, 25);
    QCOMPARE(p.latencyMs.n, 24); // 31 ok, 7 of them cached

    // pass@k over samples with at least k scored attempts; sample 5 has 3 (one attempt timed out).
    QCOMPARE(p.passAtK.size(), 3); // k = 1, 2, 4
    const int n[] = { 4, 4, 4, 4, 4, 3, 4, 4 };
    for (const PassAtK& k : p.passAtK) {
        double at = 0, hat = 0;
        qint64 samples = 0;
        for (int s = 0; s < 8; ++s) {
            if (n[s] < k.k)
                continue;
            ++samples;
            const int c = std::min(kCorrect[s], n[s]);
            // Independent closed forms for these small n.
            double none = 1, every = 1;
            for (int i = 0; i < k.k; ++i) {
                none *= double(n[s] - c - i) / double(n[s] - i);
                every *= double(c - i) / double(n[s] - i);
            }
            at += 1 - std::max(0.0, none);
            hat += std::max(0.0, every);
        }
        QCOMPARE(k.samples, samples);
        QVERIFY2(std::abs(k.passAtK - at / double(samples)) < 1e-12, qPrintable(QString::number(k.k)));
        QVERIFY2(std::abs(k.passHatK - hat / double(samples)) < 1e-12, qPrintable(QString::number(k.k)));
    }
    QCOMPARE(p.passAtK[0].k, 1);
    QVERIFY(std::abs(p.passAtK[0].passAtK - p.passAtK[0].passHatK) < 1e-12); // the same for k = 1
    QCOMPARE(p.passAtK[2].samples, 7);

    // Per category: algebra = samples 0, 2, 4, 6 (0 + 2 + 4 + 4 correct of 16); geometry = 1, 3, 5, 7
    // (1 + 3 + 2 + 1 correct of 15).
    QCOMPARE(p.categories.size(), 2);
    QCOMPARE(p.categories[0].category, u"algebra"_s);
    QCOMPARE(p.categories[0].scored, 16);
    QCOMPARE(p.categories[0].mean, 10.0 / 16.0);
    QCOMPARE(p.categories[0].ciMethod, u"wilson"_s);
    const auto [lo, hi] = stats::wilsonInterval(10, 16);
    QCOMPARE(p.categories[0].ciLow, lo);
    QCOMPARE(p.categories[0].ciHigh, hi);
    QCOMPARE(p.categories[1].category, u"geometry"_s);
    QCOMPARE(p.categories[1].scored, 15);
    QCOMPARE(p.categories[1].mean, 7.0 / 15.0);
    QVERIFY(p.categories[1].stdErr > 0);

    // The second benchmark has no repeats and one category: neither section.
    QVERIFY(summary->pairs[1].passAtK.isEmpty());
    QVERIFY(summary->pairs[1].categories.isEmpty());

    const auto parsed = RunSummary::fromJson(summary->toJson());
    QVERIFY(parsed);
    QCOMPARE(parsed->toJson(), summary->toJson());
    QCOMPARE(parsed->pairs[0].passAtK[1].passHatK, p.passAtK[1].passHatK);
    QCOMPARE(parsed->pairs[0].categories[1].category, u"geometry"_s);
    const QString text = summary->toText();
    for (const auto& needle : { u"pass@k"_s, u"pass^k"_s, u"@4"_s, u"algebra"_s, u"geometry"_s, u"hits 7"_s })
        QVERIFY2(text.contains(needle), qPrintable(text));
    for (const auto& line : text.split(u'\n'))
        QVERIFY2(line.size() <= 100, qPrintable(line));
}

void TestStats::summaryOfARescoring()
{
    QTemporaryDir dir;
    ResultsStore store;
    qint64 runId = 0;
    QVERIFY(makeRepeatFixture(store, dir.filePath(u"rep.sqlite"_s), &runId));
    QString error;
    const auto original = computeRunSummary(store, runId, &error);
    QVERIFY(original);

    // A re-scoring of the first benchmark that passes everything but a scorer error on sample 0.
    ScoringStore scorings(store);
    const auto id = scorings.begin(runId, QJsonObject { { u"type"_s, u"contains"_s } }, u"lenient"_s, 0, &error);
    QVERIFY2(id, qPrintable(error));
    QVERIFY(scorings.forEachResponse(
        runId, 0, 0,
        [&](const StoredResponse& r) {
            if (!r.ok)
                return scorings.add(r.resultId, std::nan(""), false, {}, &error);
            if (r.sampleIndex == 0)
                return scorings.add(r.resultId, std::nan(""), true, u"unparseable"_s, &error);
            return scorings.add(r.resultId, 1.0, false, u"ok"_s, &error);
        },
        &error));
    QVERIFY(scorings.commit(&error));

    const auto rescored = computeRunSummary(store, runId, &error, *id);
    QVERIFY2(rescored, qPrintable(error));
    QCOMPARE(rescored->scoringId, *id);
    QCOMPARE(rescored->pairs.size(), 1); // the scoring covers benchmark 0 only
    const PairSummary& p = rescored->pairs[0];
    QCOMPARE(p.scored, 27);
    QCOMPARE(p.scoreErrors, 4);
    QCOMPARE(p.scoreMean, 1.0);
    QCOMPARE(p.passAtK.size(), 3);
    QCOMPARE(p.passAtK[2].passAtK, 1.0);
    // Timings do not depend on the scoring.
    QCOMPARE(p.latencyMs.p50, original->pairs[0].latencyMs.p50);
    QVERIFY(rescored->toText().contains(u"(scoring %1)"_s.arg(*id)));

    // The original is unchanged.
    const auto again = computeRunSummary(store, runId, &error);
    QCOMPARE(again->toJson(), original->toJson());
    QVERIFY(!computeRunSummary(store, runId, &error, *id + 1));
    QVERIFY2(error.contains(u"no scoring"_s), qPrintable(error));
}

void TestStats::badRecordsInSummary()
{
    QTemporaryDir dir;
    ResultsStore store;
    qint64 runId = 0;
    QVERIFY(makeRepeatFixture(store, dir.filePath(u"rep.sqlite"_s), &runId));
    QString error;
    auto summary = computeRunSummary(store, runId, &error);
    QVERIFY(summary);
    summary->setBadRecords(0, 3);
    summary->setBadRecords(1, 0);
    summary->setBadRecords(7, 12); // a benchmark whose every record was bad has no pair
    QCOMPARE(summary->pairs[0].badRecords, 3);
    QCOMPARE(summary->pairs[1].badRecords, 0);
    const QString text = summary->toText();
    QVERIFY2(text.contains(u"3 bad records skipped"_s), qPrintable(text));
    QVERIFY2(text.contains(u"12 bad dataset records skipped"_s), qPrintable(text));
    const auto parsed = RunSummary::fromJson(summary->toJson());
    QVERIFY(parsed);
    QCOMPARE(parsed->badRecordsByBenchmark.value(0), 3);
    QCOMPARE(parsed->badRecordsByBenchmark.value(7), 12);
    QCOMPARE(parsed->pairs[0].badRecords, 3);
    QCOMPARE(parsed->benchmarkIds.value(0), u"math"_s);
    QCOMPARE(parsed->toJson(), summary->toJson());
}

namespace {

// One pair per model, each with a figure that has no data: every request failed (no latency, TTFT, ITL or score);
// whole responses (a TTFT and a latency, but no ITL); every answer from the cache (nothing sent: no time span, no
// rates); and a streamed pair that has every figure.
constexpr const char* kAbsentPlan = R"({
  "name": "absent", "seed": 1,
  "models": [ { "id": "down" }, { "id": "whole" }, { "id": "cached" }, { "id": "streamed" } ],
  "benchmarks": [ { "id": "mc", "scorer": { "type": "exact" } } ]
})";

enum AbsentPair { Down, Whole, Cached, Streamed };

bool makeAbsentFixture(QTemporaryDir& dir, ResultsStore& store, qint64* runId)
{
    const QString path = dir.filePath(u"absent.sqlite"_s);
    QString error;
    if (!store.open(path, &error))
        return false;
    *runId = store.createRun(u"absent"_s, kAbsentPlan, 1, -1, &error).value_or(0);
    ResultsWriter writer(path);
    if (!writer.start(&error))
        return false;
    for (int m = Down; m <= Streamed; ++m) {
        for (int s = 0; s < 8; ++s) {
            RequestRecord r;
            r.runId = *runId;
            r.modelIndex = m;
            r.sampleIndex = s;
            r.t.sendNs = qint64(s) * 10'000'000;
            r.t.headersNs = r.t.sendNs + 2'000'000;
            r.t.endNs = r.t.sendNs + 5'000'000 + s * 100'000;
            if (m == Down) {
                r.errorClass = ErrorClass::Http5xx;
                r.httpStatus = 503;
                r.t.endNs = r.t.headersNs;
            } else {
                r.outputTokens = 6;
                r.tokenSource = TokenSource::Usage;
                r.score = s % 2;
                if (m == Whole) {
                    r.t.firstTokenNs = r.t.lastTokenNs = r.t.endNs; // parsed once, when complete
                    r.tokenEvents = 1;
                } else if (m == Streamed) {
                    r.t.firstTokenNs = r.t.sendNs + 3'000'000;
                    r.t.lastTokenNs = r.t.endNs;
                    r.tokenEvents = 6;
                } else {
                    r.cached = true;
                    r.t = {};
                    r.t.sendNs = r.t.endNs = qint64(s) * 1'000; // the cache lookup
                }
            }
            if (!writer.enqueue(std::move(r)))
                return false;
        }
    }
    return writer.flush();
}

} // namespace

void TestStats::absentFiguresAreNotZero_data()
{
    QTest::addColumn<int>("pair");
    QTest::addColumn<bool>("hasLatency"); // latency and TTFT
    QTest::addColumn<bool>("hasItl");
    QTest::addColumn<bool>("hasScore");
    QTest::addColumn<bool>("hasRates"); // duration, requests/s, output tokens/s
    QTest::addRow("every request failed") << int(Down) << false << false << false << true;
    QTest::addRow("whole responses") << int(Whole) << true << false << true << true;
    QTest::addRow("every answer cached") << int(Cached) << false << false << true << false;
    QTest::addRow("streamed") << int(Streamed) << true << true << true << true;
}

void TestStats::absentFiguresAreNotZero()
{
    QFETCH(int, pair);
    QFETCH(bool, hasLatency);
    QFETCH(bool, hasItl);
    QFETCH(bool, hasScore);
    QFETCH(bool, hasRates);
    QTemporaryDir dir;
    ResultsStore store;
    qint64 runId = 0;
    QVERIFY(makeAbsentFixture(dir, store, &runId));
    QString error;
    const auto summary = computeRunSummary(store, runId, &error);
    QVERIFY2(summary, qPrintable(error));
    QCOMPARE(summary->pairs.size(), 4);
    const PairSummary& p = summary->pairs[pair];
    QCOMPARE(p.modelIndex, pair);
    QCOMPARE(p.n, 8);

    // In memory: NaN (and n == 0), never 0.
    QCOMPARE(!p.latencyMs.isEmpty(), hasLatency);
    QCOMPARE(!p.ttftMs.isEmpty(), hasLatency);
    QCOMPARE(std::isfinite(p.latencyMs.p50), hasLatency);
    QCOMPARE(std::isfinite(p.ttftMs.p99), hasLatency);
    QCOMPARE(!p.itlMs.isEmpty(), hasItl);
    QCOMPARE(std::isfinite(p.itlMs.p50), hasItl);
    QCOMPARE(std::isfinite(p.scoreMean), hasScore);
    QCOMPARE(std::isfinite(p.scoreCiLow), hasScore);
    QCOMPARE(std::isfinite(p.durationS), hasRates);
    QCOMPARE(std::isfinite(p.requestsPerS), hasRates);
    QCOMPARE(std::isfinite(p.outputTokensPerS), hasRates);
    if (hasItl)
        QVERIFY(p.itlMs.p50 > 0);

    // JSON: null.
    const QJsonObject j = summary->toJson().value(u"pairs"_s).toArray().at(pair).toObject();
    for (const char* d : { "latency_ms", "ttft_ms" }) {
        const QJsonObject o = j.value(QLatin1StringView(d)).toObject();
        QCOMPARE(o.value(u"n"_s).toInteger() > 0, hasLatency);
        for (const char* q : { "p50", "p90", "p95", "p99", "p99_9", "max" })
            QVERIFY2(o.value(QLatin1StringView(q)).isNull() != hasLatency, q);
    }
    QVERIFY(j.value(u"itl_ms"_s).toObject().value(u"p50"_s).isNull() != hasItl);
    QVERIFY(j.value(u"score"_s).toObject().value(u"mean"_s).isNull() != hasScore);
    QVERIFY(j.value(u"score"_s).toObject().value(u"ci_high"_s).isNull() != hasScore);
    QVERIFY(j.value(u"requests_per_s"_s).isNull() != hasRates);
    QVERIFY(j.value(u"output_tokens_per_s"_s).isNull() != hasRates);
    QVERIFY(j.value(u"duration_s"_s).isNull() != hasRates);
    // ... and read back as absent.
    const auto parsed = RunSummary::fromJson(summary->toJson());
    QVERIFY(parsed);
    QCOMPARE(parsed->toJson(), summary->toJson());
    QCOMPARE(std::isfinite(parsed->pairs[pair].latencyMs.p95), hasLatency);
    QCOMPARE(std::isfinite(parsed->pairs[pair].requestsPerS), hasRates);

    // The CLI's text: the absent sign, never "0.00".
    const QString text = summary->toText();
    const QString block = text.section(p.modelId + u" / mc\n"_s, 1).section(u" / mc\n"_s, 0, 0);
    QVERIFY2(!block.isEmpty(), qPrintable(text));
    const QString dash = kAbsentFigure.toString();
    const QString latencyLine = block.section(u"latency ms"_s, 1).section(u'\n', 0, 0);
    const QString ttftLine = block.section(u"TTFT ms"_s, 1).section(u'\n', 0, 0);
    const QString rateLine = block.section(u"throughput"_s, 1).section(u'\n', 0, 0);
    QCOMPARE(latencyLine.contains(u"p50 "_s + dash), !hasLatency);
    QCOMPARE(latencyLine.contains(u"max "_s + dash), !hasLatency);
    QCOMPARE(ttftLine.contains(u"p99 "_s + dash), !hasLatency);
    QCOMPARE(ttftLine.section(u"ITL ms"_s, 1).contains(u"p50 "_s + dash), !hasItl);
    QCOMPARE(rateLine.contains(u"req/s "_s + dash), !hasRates);
    QCOMPARE(block.contains(u"not scored"_s), !hasScore);
    if (!hasLatency)
        QVERIFY2(!latencyLine.contains(u"0.00"_s) && !ttftLine.contains(u"0.00"_s), qPrintable(block));
    for (const auto& line : text.split(u'\n'))
        QVERIFY2(line.size() <= 100, qPrintable(line));
}

void TestStats::olderZerosReadBackAsAbsent()
{
    // A summary saved before absent figures were null: zeros where there was no data.
    const QJsonObject old = QJsonDocument::fromJson(R"({"run_id": 3, "run_name": "old", "pairs": [
        {"model": "down", "benchmark": "mc", "n": 4, "ok": 0, "failed": 4, "cache": {"hits": 0, "misses": 0},
         "score": {"scored": 0, "mean": 0, "ci_low": 0, "ci_high": 0, "stderr": 0, "ci_method": ""},
         "latency_ms": {"n": 0, "p50": 0, "p90": 0, "p95": 0, "p99": 0, "p99_9": 0, "max": 0},
         "ttft_ms": {"n": 0, "p50": 0, "p90": 0, "p95": 0, "p99": 0, "p99_9": 0, "max": 0},
         "itl_ms": {"n": 0, "p50": 0, "p90": 0, "p95": 0, "p99": 0, "p99_9": 0, "max": 0},
         "duration_s": 0.5, "requests_per_s": 8, "output_tokens_per_s": 0, "cost_usd": 0},
        {"model": "cached", "benchmark": "mc", "n": 4, "ok": 4, "failed": 0, "cache": {"hits": 4, "misses": 0},
         "score": {"scored": 4, "mean": 0.5, "ci_low": 0.15, "ci_high": 0.85, "stderr": 0.29, "ci_method": "wilson"},
         "latency_ms": {"n": 0}, "ttft_ms": {"n": 0}, "itl_ms": {"n": 0},
         "duration_s": 0, "requests_per_s": 0, "output_tokens_per_s": 0, "cost_usd": 0}]})")
                                .object();
    const auto s = RunSummary::fromJson(old);
    QVERIFY(s);
    const PairSummary& down = s->pairs[0];
    QVERIFY(std::isnan(down.latencyMs.p50) && std::isnan(down.ttftMs.max) && std::isnan(down.itlMs.p50));
    QVERIFY(std::isnan(down.scoreMean) && std::isnan(down.scoreCiHigh));
    QCOMPARE(down.requestsPerS, 8.0); // real figures stay
    QCOMPARE(down.outputTokensPerS, 0.0);
    const PairSummary& cached = s->pairs[1];
    QCOMPARE(cached.scoreMean, 0.5);
    QVERIFY(std::isnan(cached.durationS) && std::isnan(cached.requestsPerS) && std::isnan(cached.outputTokensPerS));
    const QJsonObject again = s->toJson().value(u"pairs"_s).toArray().at(0).toObject();
    QVERIFY(again.value(u"latency_ms"_s).toObject().value(u"p50"_s).isNull());
    QVERIFY(again.value(u"score"_s).toObject().value(u"mean"_s).isNull());
}

QTEST_GUILESS_MAIN(TestStats)
#include "tst_stats.moc"
