#include "models/stats/decimation.h"

#include <QTest>

#include <algorithm>
#include <cmath>

using namespace evs;

class TestDecimation : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void spikeSurvives_data();
    void spikeSurvives();
    void smallInputUnchanged();
    void logAxis();
    void degenerate();
};

void TestDecimation::spikeSurvives_data()
{
    QTest::addColumn<int>("n");
    QTest::addColumn<int>("buckets");
    QTest::addColumn<int>("spikeAt");
    QTest::addRow("1M points, 150 buckets, spike in the middle") << 1000000 << 150 << 500001;
    QTest::addRow("100k points, 50 buckets, spike first") << 100000 << 50 << 0;
    QTest::addRow("100k points, 50 buckets, spike last") << 100000 << 50 << 99999;
    QTest::addRow("10k points, 1 bucket") << 10000 << 1 << 1234;
    QTest::addRow("5k points, 600 buckets") << 5000 << 600 << 4321;
}

void TestDecimation::spikeSurvives()
{
    QFETCH(int, n);
    QFETCH(int, buckets);
    QFETCH(int, spikeAt);
    std::vector<QPointF> in;
    in.reserve(size_t(n));
    for (int i = 0; i < n; ++i)
        in.emplace_back(i * 0.001, 10 + std::sin(i * 0.01));
    in[size_t(spikeAt)].setY(1000); // one sample's peak
    in[size_t((spikeAt + n / 3) % n)].setY(-500); // and a dip elsewhere
    const auto out = decimateMinMax(in, buckets);
    QVERIFY(out.size() <= size_t(buckets) * 4);
    QVERIFY(out.size() >= 2);
    const auto [mn, mx] = std::minmax_element(out.begin(), out.end(), [](auto& a, auto& b) { return a.y() < b.y(); });
    QCOMPARE(mx->y(), 1000.0);
    QCOMPARE(mx->x(), in[size_t(spikeAt)].x());
    QCOMPARE(mn->y(), -500.0);
    // The ends stay, and points stay in x order (a line chart needs them sorted).
    QCOMPARE(out.front(), in.front());
    QCOMPARE(out.back(), in.back());
    QVERIFY(std::is_sorted(out.begin(), out.end(), [](auto& a, auto& b) { return a.x() < b.x(); }));
}

void TestDecimation::smallInputUnchanged()
{
    std::vector<QPointF> in { { 0, 1 }, { 1, 5 }, { 2, 3 } };
    const auto out = decimateMinMax(in, 100);
    QCOMPARE(out.size(), in.size());
    QVERIFY(std::equal(out.begin(), out.end(), in.begin()));
}

void TestDecimation::logAxis()
{
    // Points spread over 1 ms .. 10 s, denser at the low end: on a log axis every decade gets its share of buckets.
    std::vector<QPointF> in;
    for (int i = 0; i < 40000; ++i)
        in.emplace_back(std::pow(10.0, i / 10000.0), i == 39000 ? 99.0 : 1.0);
    const auto out = decimateMinMax(in, 40, true);
    QVERIFY(out.size() <= 160);
    const qint64 topDecade = std::count_if(out.begin(), out.end(), [](const QPointF& p) { return p.x() >= 1000; });
    QVERIFY2(topDecade >= 10 * 2, qPrintable(QString::number(topDecade)));
    QVERIFY(std::any_of(out.begin(), out.end(), [](const QPointF& p) { return p.y() == 99.0; }));
}

void TestDecimation::degenerate()
{
    QVERIFY(decimateMinMax({}, 10).empty());
    std::vector<QPointF> same(1000, QPointF(5, 2)); // every x equal: one bucket
    same[500].setY(7);
    const auto out = decimateMinMax(same, 0);
    QVERIFY(out.size() <= 4);
    QVERIFY(std::any_of(out.begin(), out.end(), [](const QPointF& p) { return p.y() == 7.0; }));
}

QTEST_GUILESS_MAIN(TestDecimation)
#include "tst_decimation.moc"
