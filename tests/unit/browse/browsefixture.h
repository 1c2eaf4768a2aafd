#pragma once

// A small results store for the browser's tests: two models x two benchmarks, scores with many ties (0, 0.5, 1 and
// unscored), failures with retried attempts, categories and searchable responses. Written with ResultsWriter.

#include "models/store/resultsstore.h"
#include "models/store/resultswriter.h"

#include <QString>

#include <cmath>

namespace evs::test {

struct BrowseFixture {
    QString path;
    qint64 runId = 0;
    qint64 otherRunId = 0; // a second run, so that every query must stay within its run
    qint64 records = 0;
};

inline RequestRecord browseRecord(qint64 runId, int model, int benchmark, qint64 sample)
{
    RequestRecord r;
    r.runId = runId;
    r.modelIndex = model;
    r.benchmarkIndex = benchmark;
    r.sampleIndex = sample;
    r.sampleId = QStringLiteral("s%1").arg(sample, 4, 10, QLatin1Char('0'));
    if (sample % 5 != 4)
        r.category = sample % 2 ? QStringLiteral("algebra") : QStringLiteral("geometry");
    r.prompt = QStringLiteral("[{\"role\":\"user\",\"content\":\"What is %1 + %1?\"}]").arg(sample);
    r.expected = QString::number(2 * sample);
    const qint64 base = (sample * 4 + model) * 1'000'000;
    r.t.schedNs = base;
    r.t.sendNs = base + 1000;
    r.t.wireNs = base + 2000;
    r.t.headersNs = base + 40'000;
    // Latencies repeat every 7 samples: ties for the latency sort too.
    const qint64 latency = (sample % 7 + 1) * 5'000'000;
    if (sample % 11 == 3) {
        r.errorClass = sample % 2 ? ErrorClass::Http5xx : ErrorClass::Timeout;
        r.httpStatus = sample % 2 ? 503 : 0;
        r.errorMessage = QStringLiteral("upstream said no for sample %1").arg(sample);
        r.attempts = 2;
        r.t.endNs = base + 1000 + latency;
        r.failedAttempts.push_back(AttemptRecord {
            1, ErrorClass::Http429, 429, base - 500'000, base - 400'000, QStringLiteral("rate limited") });
    } else {
        r.httpStatus = 200;
        r.t.firstTokenNs = base + 1000 + latency / 4;
        r.t.firstContentNs = r.t.firstTokenNs;
        r.t.lastTokenNs = base + 1000 + latency;
        r.t.endNs = r.t.lastTokenNs + 100;
        r.inputTokens = 20;
        r.outputTokens = 3 + sample % 4;
        r.tokenSource = TokenSource::Usage;
        r.tokenEvents = int(r.outputTokens);
        const bool right = (sample + model) % 3 != 0;
        r.response = right ? QStringLiteral("The answer is %1.").arg(2 * sample)
                           : QStringLiteral("I think it is %1, 100% sure_").arg(2 * sample + 1);
        if (sample % 13 == 6) {
            r.scoreError = true; // unscored: NaN
            r.scoreExplanation = QStringLiteral("no number in the response");
        } else {
            r.score = right ? 1.0 : (sample % 2 ? 0.0 : 0.5);
            r.scoreExplanation = right ? QStringLiteral("exact match") : QStringLiteral("expected %1").arg(2 * sample);
        }
        r.finishReason = QStringLiteral("stop");
    }
    return r;
}

inline bool writeBrowseFixture(const QString& path, int samples, BrowseFixture* out, QString* error)
{
    ResultsStore store;
    if (!store.open(path, error))
        return false;
    const QByteArray plan = R"({"name":"fixture","models":[{"id":"alpha"},{"id":"beta"}],)"
                            R"("benchmarks":[{"id":"arith"},{"id":"mc"}]})";
    const auto runId = store.createRun(QStringLiteral("fixture"), plan, 7, 4 * samples, error);
    const auto other = store.createRun(QStringLiteral("other"), plan, 8, 10, error);
    if (!runId || !other)
        return false;
    ResultsWriter writer(path);
    if (!writer.start(error))
        return false;
    qint64 n = 0;
    // Written out of key order, as a real run finishes them.
    for (qint64 s = samples - 1; s >= 0; --s) {
        for (int m = 0; m < 2; ++m) {
            for (int b = 0; b < 2; ++b) {
                if (!writer.enqueue(browseRecord(*runId, m, b, s)))
                    return false;
                ++n;
            }
        }
    }
    for (qint64 s = 0; s < 10; ++s)
        writer.enqueue(browseRecord(*other, 0, 0, s));
    if (!writer.flush()) {
        *error = writer.error();
        return false;
    }
    writer.stop();
    store.setRunStatus(*runId, RunStatus::Completed, error);
    out->path = path;
    out->runId = *runId;
    out->otherRunId = *other;
    out->records = n;
    return true;
}

} // namespace evs::test
