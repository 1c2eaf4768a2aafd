// A per-sample output budget (a dataset's "max_tokens") reaches every API family's request, and the model's own
// params still win.
#include "app/benchmarks/promptrenderer.h"
#include "app/providers/provider.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

using namespace evs;
using namespace Qt::StringLiterals;

class TestOutputBudget : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void budgetInEachProvider_data()
    {
        QTest::addColumn<QString>("provider");
        QTest::addColumn<QString>("path"); // where the budget lands in the body
        QTest::addRow("openai") << u"openai"_s << u"max_tokens"_s;
        QTest::addRow("completions") << u"openai-completions"_s << u"max_tokens"_s;
        QTest::addRow("simulator") << u"simulator"_s << u"max_tokens"_s;
        QTest::addRow("anthropic") << u"anthropic"_s << u"max_tokens"_s;
        QTest::addRow("ollama") << u"ollama"_s << u"options.num_predict"_s;
    }
    void budgetInEachProvider()
    {
        QFETCH(QString, provider);
        QFETCH(QString, path);
        const auto p = Provider::create(provider);
        QVERIFY(p);
        ModelSpec m;
        m.provider = provider;
        m.baseUrl = u"http://127.0.0.1:9/v1"_s;
        m.model = u"m"_s;
        PromptRequest prompt;
        prompt.messages = { { u"user"_s, u"Say hello."_s } };
        prompt.maxTokens = 8;
        auto valueAt = [&](const QJsonObject& body) {
            const QStringList parts = path.split(u'.');
            QJsonValue v = body;
            for (const QString& part : parts)
                v = v.toObject().value(part);
            return v;
        };
        QByteArray body;
        p->buildRequest(m, prompt, {}, &body);
        QCOMPARE(valueAt(QJsonDocument::fromJson(body).object()).toInt(), 8);
        // Without a budget nothing is added (anthropic keeps its required default).
        prompt.maxTokens = 0;
        p->buildRequest(m, prompt, {}, &body);
        if (provider != u"anthropic"_s)
            QVERIFY(valueAt(QJsonDocument::fromJson(body).object()).isUndefined());
        // The model's params win over the sample's hint.
        prompt.maxTokens = 8;
        if (provider != u"ollama"_s) {
            m.params.insert(u"max_tokens"_s, 100);
            p->buildRequest(m, prompt, {}, &body);
            QCOMPARE(valueAt(QJsonDocument::fromJson(body).object()).toInt(), 100);
        }
    }

    void rendererTakesTheRecordsBudget()
    {
        BenchmarkSpec spec;
        spec.id = u"latency"_s;
        spec.dataset = u"builtin:latency"_s;
        PromptRenderer renderer(spec);
        Sample s;
        s.index = 0;
        s.input = u"Say hello."_s;
        s.record = QJsonObject { { u"input"_s, s.input }, { u"max_tokens"_s, 16 } };
        QCOMPARE(renderer.render(s).maxTokens, 16);
        s.record.remove(u"max_tokens"_s);
        QCOMPARE(renderer.render(s).maxTokens, 0);
        s.record.insert(u"max_tokens"_s, u"lots"_s);
        QCOMPARE(renderer.render(s).maxTokens, 0);
    }
};

QTEST_GUILESS_MAIN(TestOutputBudget)
#include "tst_outputbudget.moc"
