// Paired tests against values computed independently here: McNemar's exact p-values from binomial sums written as
// integer arithmetic, a paired bootstrap that covers a known mean difference, percentile differences.
#include "models/stats/pairedtests.h"

#include <QtTest>

#include <cmath>
#include <random>
#include <vector>

namespace {

// 2 * sum_{i <= min(b, c)} C(n, i) / 2^n with exact integer binomials (n small enough for 64 bits).
double referenceMcNemar(qint64 b, qint64 c)
{
    const qint64 n = b + c;
    if (n == 0)
        return 1.0;
    quint64 coefficient = 1; // C(n, 0)
    quint64 tail = 0;
    for (qint64 i = 0; i <= std::min(b, c); ++i) {
        tail += coefficient;
        coefficient = coefficient * quint64(n - i) / quint64(i + 1);
    }
    return std::min(1.0, 2.0 * double(tail) / std::ldexp(1.0, int(n)));
}

} // namespace

class TestPairedTests : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void mcnemarKnownTables_data()
    {
        QTest::addColumn<qint64>("b");
        QTest::addColumn<qint64>("c");
        QTest::addColumn<double>("p");
        QTest::addRow("1 vs 9") << qint64(1) << qint64(9) << 0.021484375; // 2 * (1 + 10) / 1024
        QTest::addRow("9 vs 1 (symmetric)") << qint64(9) << qint64(1) << 0.021484375;
        QTest::addRow("5 vs 5") << qint64(5) << qint64(5) << 1.0;
        QTest::addRow("0 vs 6") << qint64(0) << qint64(6) << 0.03125; // 2 / 64
        QTest::addRow("none") << qint64(0) << qint64(0) << 1.0;
        QTest::addRow("0 vs 1") << qint64(0) << qint64(1) << 1.0;
        QTest::addRow("3 vs 12") << qint64(3) << qint64(12) << 2.0 * (1 + 15 + 105 + 455) / 32768.0;
    }
    void mcnemarKnownTables()
    {
        QFETCH(qint64, b);
        QFETCH(qint64, c);
        QFETCH(double, p);
        QVERIFY2(std::abs(evs::stats::mcnemarExactP(b, c) - p) < 1e-12,
            qPrintable(QString::number(evs::stats::mcnemarExactP(b, c), 'g', 17)));
    }

    void mcnemarMatchesIntegerSums()
    {
        for (qint64 b = 0; b <= 30; b += 3) {
            for (qint64 c = 0; c <= 30; c += 2) {
                const double got = evs::stats::mcnemarExactP(b, c);
                const double want = referenceMcNemar(b, c);
                QVERIFY2(std::abs(got - want) <= 1e-12 * std::max(1.0, want),
                    qPrintable(QStringLiteral("b=%1 c=%2 got %3 want %4").arg(b).arg(c).arg(got).arg(want)));
            }
        }
        // Large tables stay finite and tiny, not NaN.
        const double p = evs::stats::mcnemarExactP(400, 600);
        QVERIFY(std::isfinite(p) && p > 0 && p < 1e-8);
    }

    void pairedBootstrapCoversKnownDifference_data()
    {
        QTest::addColumn<double>("shift");
        QTest::addRow("+0.25") << 0.25;
        QTest::addRow("-0.1") << -0.1;
        QTest::addRow("none") << 0.0;
    }
    void pairedBootstrapCoversKnownDifference()
    {
        QFETCH(double, shift);
        // other = base + shift + small zero-mean noise, so the mean difference is exactly `shift`.
        std::vector<double> base, other;
        std::mt19937_64 rng(3);
        std::normal_distribution<double> value(10, 3);
        for (int i = 0; i < 400; ++i) {
            const double x = value(rng);
            base.push_back(x);
            const double noise = (i % 2 ? 0.05 : -0.05);
            other.push_back(x + shift + noise);
        }
        const auto r = evs::stats::pairedBootstrap(base, other, 42, 2000);
        QCOMPARE(r.n, qint64(400));
        QVERIFY(std::abs(r.meanDiff - shift) < 1e-9);
        QVERIFY2(
            r.ciLow <= shift && shift <= r.ciHigh, qPrintable(QStringLiteral("[%1, %2]").arg(r.ciLow).arg(r.ciHigh)));
        // The spread of the differences is 0.05: the interval is narrow, and far from 0 unless the shift is 0.
        QVERIFY(r.ciHigh - r.ciLow < 0.02);
        if (shift != 0)
            QVERIFY(r.pValue < 0.001);
        else
            QCOMPARE(r.pValue, 1.0);
        // Same seed, same interval.
        const auto again = evs::stats::pairedBootstrap(base, other, 42, 2000);
        QCOMPARE(again.ciLow, r.ciLow);
        QCOMPARE(again.ciHigh, r.ciHigh);
    }

    void pairedBootstrapNoisyDifferenceIsNotSignificant()
    {
        // Differences of +1 and -1 alternating: mean 0.02 over 100 pairs, well inside the noise.
        std::vector<double> base(100, 0.0), other(100);
        for (int i = 0; i < 100; ++i)
            other[size_t(i)] = i % 2 ? 1.0 : -1.0;
        other[0] = 1.0; // one more +1: mean difference 0.02
        const auto r = evs::stats::pairedBootstrap(base, other, 7, 2000);
        QVERIFY(std::abs(r.meanDiff - 0.02) < 1e-12);
        QVERIFY(r.ciLow < 0 && r.ciHigh > 0);
        QVERIFY(r.pValue > 0.5);
    }

    void percentileDifference_data()
    {
        QTest::addColumn<double>("q");
        QTest::addRow("p50") << 0.50;
        QTest::addRow("p95") << 0.95;
        QTest::addRow("p99") << 0.99;
    }
    void percentileDifference()
    {
        QFETCH(double, q);
        // base: 1..1000 ms; other: the same shifted by 50 ms. numpy-style percentiles: 1 + q * 999.
        std::vector<double> base, other;
        for (int i = 1; i <= 1000; ++i) {
            base.push_back(double(i));
            other.push_back(double(i) + 50);
        }
        const auto d = evs::stats::bootstrapPercentileDifference(base, other, q, 11, 2000);
        QVERIFY(std::abs(d.base - (1 + q * 999)) < 1e-9);
        QVERIFY(std::abs(d.other - (51 + q * 999)) < 1e-9);
        QVERIFY(std::abs(d.diff - 50) < 1e-9);
        QVERIFY2(d.ciLow <= 50 && 50 <= d.ciHigh, qPrintable(QStringLiteral("[%1, %2]").arg(d.ciLow).arg(d.ciHigh)));
        // Resampling 1000 uniform values: the percentile moves by a few tens of ms at most.
        QVERIFY(d.ciLow > 0 && d.ciHigh < 100);
    }

    void percentileDifferenceOfEqualSamplesIsCentredOnZero()
    {
        std::vector<double> a;
        for (int i = 0; i < 500; ++i)
            a.push_back(std::exp(double(i % 97) / 20.0));
        std::sort(a.begin(), a.end());
        const auto d = evs::stats::bootstrapPercentileDifference(a, a, 0.95, 5, 2000);
        QCOMPARE(d.diff, 0.0);
        QVERIFY(d.ciLow < 0 && d.ciHigh > 0);
    }

    void emptySidesGiveNaN()
    {
        const std::vector<double> empty, one { 3.0 };
        QVERIFY(std::isnan(evs::stats::bootstrapPercentileDifference(empty, one, 0.5, 1).diff));
        QVERIFY(std::isnan(evs::stats::pairedBootstrap(empty, empty, 1).meanDiff));
        const auto single = evs::stats::bootstrapPercentileDifference(one, one, 0.5, 1, 100);
        QCOMPARE(single.ciLow, 0.0);
        QCOMPARE(single.ciHigh, 0.0);
    }
};

QTEST_GUILESS_MAIN(TestPairedTests)
#include "tst_pairedtests.moc"
