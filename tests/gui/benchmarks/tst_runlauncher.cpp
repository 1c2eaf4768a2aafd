#include "guitestsupport.h"

#include "app/benchmarks/promptrenderer.h"
#include "app/benchmarks/samplesource.h"
#include "app/engine/runestimate.h"
#include "ui/runlauncher.h"

#include <QCheckBox>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace evs;

namespace {

template<typename T> T* child(QObject* parent, const QString& name)
{
    T* w = parent->findChild<T*>(name);
    if (!w)
        qWarning("no %s named %s", T::staticMetaObject.className(), qPrintable(name));
    return w;
}

struct Expected {
    qint64 requests = 0;
    double inputTokens = 0;
    double outputTokens = 0;
    double cost = 0;
};

// The estimate worked out from the definitions, without RunEstimate: count the samples, render the first 50
// prompts, characters / 4.
Expected independentEstimate(const RunPlan& plan)
{
    Expected e;
    for (const ModelSpec& m : plan.models) {
        const double maxTokens = m.params.value(u"max_tokens"_s).toDouble(0);
        const double outPerRequest = maxTokens > 0 ? maxTokens : 256;
        for (const BenchmarkSpec& b : plan.benchmarks) {
            QString error;
            auto source = SampleSource::open(b, &error);
            if (!source)
                qFatal("%s", qPrintable(error));
            const PromptRenderer renderer(b);
            qint64 samples = 0;
            double chars = 0;
            int rendered = 0;
            Sample s;
            while (source->next(&s)) {
                ++samples;
                if (rendered < 50) {
                    for (const ChatMessage& msg : renderer.render(s).messages)
                        chars += msg.content.size();
                    ++rendered;
                }
            }
            const qint64 requests = samples * b.repeats;
            const double input = double(requests) * (chars / rendered) / 4.0;
            const double output = double(requests) * outPerRequest;
            e.requests += requests;
            e.inputTokens += input;
            e.outputTokens += output;
            e.cost += input * m.priceInputPerMTok / 1e6 + output * m.priceOutputPerMTok / 1e6;
        }
    }
    return e;
}

} // namespace

class TestRunLauncher : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init() { QSettings().remove(u"runLauncher"_s); }
    void estimateMatchesIndependentComputation_data();
    void estimateMatchesIndependentComputation();
    void estimateFollowsChoices();
    void startsRunOnSimulator();
    void startErrorIsShown();
    void remembersChoices();
};

void TestRunLauncher::estimateMatchesIndependentComputation_data()
{
    QTest::addColumn<int>("limit");
    QTest::addColumn<int>("repeats");
    QTest::addColumn<int>("maxTokens"); // 0 = not set
    QTest::addColumn<double>("priceIn");
    QTest::addColumn<double>("priceOut");
    QTest::addRow("whole datasets, defaults") << 0 << 0 << 0 << 0.0 << 0.0;
    QTest::addRow("limit 10, 3 repeats, priced") << 10 << 3 << 64 << 2.5 << 10.0;
    QTest::addRow("limit 1") << 1 << 1 << 1000 << 0.15 << 0.6;
}

void TestRunLauncher::estimateMatchesIndependentComputation()
{
    QFETCH(int, limit);
    QFETCH(int, repeats);
    QFETCH(int, maxTokens);
    QFETCH(double, priceIn);
    QFETCH(double, priceOut);
    GuiFixture f;
    ModelSpec m = f.workspace->models().at(0);
    if (maxTokens > 0)
        m.params.insert(u"max_tokens"_s, maxTokens);
    m.priceInputPerMTok = priceIn;
    m.priceOutputPerMTok = priceOut;
    QVERIFY(f.workspace->setModel(0, m, nullptr));

    RunLauncher launcher(f.context.get());
    QCOMPARE(launcher.objectName(), u"runLauncher"_s);
    launcher.show();
    child<QSpinBox>(&launcher, u"limitSpin"_s)->setValue(limit);
    child<QSpinBox>(&launcher, u"repeatsSpin"_s)->setValue(repeats);
    QTRY_VERIFY(launcher.property("estimateReady").toBool());

    const RunPlan plan = launcher.plan();
    QCOMPARE(plan.models.size(), f.workspace->models().size());
    QCOMPARE(plan.benchmarks.size(), f.workspace->benchmarks().size());
    const Expected want = independentEstimate(plan);
    QCOMPARE(launcher.property("estimatedRequests").toLongLong(), want.requests);
    QVERIFY(qFuzzyCompare(launcher.property("estimatedInputTokens").toDouble(), want.inputTokens));
    QVERIFY(qFuzzyCompare(launcher.property("estimatedOutputTokens").toDouble(), want.outputTokens));
    QVERIFY(qFuzzyCompare(1 + launcher.property("estimatedCost").toDouble(), 1 + want.cost));
    if (limit > 0) // models × benchmarks × limit × repeats, as both demo datasets have more samples
        QCOMPARE(want.requests, qint64(plan.models.size() * plan.benchmarks.size() * limit * std::max(1, repeats)));
    QVERIFY(!child<QLabel>(&launcher, u"estimateRequests"_s)->text().isEmpty());
    QVERIFY(launcher.estimate().assumptions.join(u'\n').contains(u"characters / 4"_s));
    saveScreenshot(&launcher, u"run-launcher-"_s + QString::fromLatin1(QTest::currentDataTag()).replace(u' ', u'-'));
}

void TestRunLauncher::estimateFollowsChoices()
{
    GuiFixture f;
    RunLauncher launcher(f.context.get());
    launcher.show();
    QTRY_VERIFY(launcher.property("estimateReady").toBool());
    const qint64 all = launcher.property("estimatedRequests").toLongLong();
    auto* models = child<QListWidget>(&launcher, u"modelList"_s);
    QCOMPARE(models->count(), 2);
    models->item(1)->setCheckState(Qt::Unchecked);
    QTRY_VERIFY(
        launcher.property("estimateReady").toBool() && launcher.property("estimatedRequests").toLongLong() == all / 2);
    QCOMPARE(launcher.plan().models.size(), 1);
    models->item(0)->setCheckState(Qt::Unchecked);
    QTRY_VERIFY(!child<QPushButton>(&launcher, u"startButton"_s)->isEnabled());
}

void TestRunLauncher::startsRunOnSimulator()
{
    GuiFixture f;
    QVector<qint64> started;
    QVector<qint64> finished;
    RunStatus status = RunStatus::Running;
    connect(f.context.get(), &AppContext::runStarted, this, [&](qint64 id) { started << id; });
    connect(f.context.get(), &AppContext::runFinished, this, [&](qint64 id, RunStatus s) {
        QVERIFY(!started.isEmpty()); // runStarted came first
        finished << id;
        status = s;
    });

    auto* launcher = new RunLauncher(f.context.get());
    launcher->setAttribute(Qt::WA_DeleteOnClose);
    launcher->open();
    child<QSpinBox>(launcher, u"limitSpin"_s)->setValue(4);
    child<QSpinBox>(launcher, u"seedSpin"_s)->setValue(7);
    QPointer<RunLauncher> guard(launcher);
    QTest::mouseClick(child<QPushButton>(launcher, u"startButton"_s), Qt::LeftButton);
    QCOMPARE(started.size(), 1);
    QTRY_VERIFY(guard.isNull()); // accepted and closed
    QVERIFY(f.context->activeRun());
    QCOMPARE(f.context->activeRun()->plan().seed, quint64(7));
    QCOMPARE(f.context->activeRun()->plan().benchmarks.at(0).limit, qint64(4));
    QTRY_VERIFY_WITH_TIMEOUT(finished.size() == 1, 60000);
    QCOMPARE(finished.first(), started.first());
    QCOMPARE(status, RunStatus::Completed);
}

void TestRunLauncher::startErrorIsShown()
{
    GuiFixture f;
    // A model whose key reference cannot be resolved: the run refuses to start.
    ModelSpec m = f.workspace->models().at(0);
    m.provider = u"openai"_s;
    m.baseUrl = u"http://127.0.0.1:9/v1"_s;
    m.model = u"x"_s;
    m.apiKeyRef = u"env:EVS_TEST_SURELY_UNSET_KEY"_s;
    QVERIFY(f.workspace->setModel(0, m, nullptr));
    qunsetenv("EVS_TEST_SURELY_UNSET_KEY");
    RunLauncher launcher(f.context.get());
    launcher.show();
    QSignalSpy started(f.context.get(), &AppContext::runStarted);
    child<QPushButton>(&launcher, u"startButton"_s)->click();
    QCOMPARE(started.count(), 0);
    auto* error = child<QLabel>(&launcher, u"launcherErrorLabel"_s);
    QVERIFY(error->isVisible());
    QVERIFY2(error->text().contains(u"EVS_TEST_SURELY_UNSET_KEY"_s), qPrintable(error->text()));
    QVERIFY(launcher.isVisible());
    saveScreenshot(&launcher, u"run-launcher-error"_s);
}

void TestRunLauncher::remembersChoices()
{
    GuiFixture f;
    {
        RunLauncher launcher(f.context.get());
        child<QListWidget>(&launcher, u"benchmarkList"_s)->item(0)->setCheckState(Qt::Unchecked);
        child<QSpinBox>(&launcher, u"limitSpin"_s)->setValue(2);
        child<QSpinBox>(&launcher, u"repeatsSpin"_s)->setValue(1);
        child<QCheckBox>(&launcher, u"cacheCheck"_s)->setChecked(true);
        QVERIFY(launcher.start());
        QSignalSpy finished(f.context.get(), &AppContext::runFinished);
        QVERIFY(finished.wait(60000));
    }
    RunLauncher again(f.context.get());
    QCOMPARE(child<QListWidget>(&again, u"benchmarkList"_s)->item(0)->checkState(), Qt::Unchecked);
    QCOMPARE(child<QListWidget>(&again, u"benchmarkList"_s)->item(1)->checkState(), Qt::Checked);
    QCOMPARE(child<QSpinBox>(&again, u"limitSpin"_s)->value(), 2);
    QVERIFY(child<QCheckBox>(&again, u"cacheCheck"_s)->isChecked());
    QCOMPARE(again.plan().benchmarks.size(), 1);
    QVERIFY(again.plan().run.cache);
}

EVS_GUI_TEST_MAIN(TestRunLauncher)
#include "tst_runlauncher.moc"
