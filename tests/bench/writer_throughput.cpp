// Results writer throughput: two producer threads enqueue records (with prompts, responses and a few retried
// attempts) into one ResultsWriter, and the program prints records per second once they are committed. It asserts
// nothing about time; it exits 1 only when the store does not hold every record afterwards.
//
// Usage: build/writer_throughput [RECORDS]   (default 100000; the store is written to a temporary folder)

#include "models/store/resultsstore.h"
#include "models/store/resultswriter.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QTemporaryDir>

#include <cstdio>
#include <thread>
#include <vector>

using namespace Qt::StringLiterals;
using namespace evs;

namespace {

RequestRecord makeRecord(qint64 runId, int model, int benchmark, qint64 sample)
{
    RequestRecord r;
    r.runId = runId;
    r.modelIndex = model;
    r.benchmarkIndex = benchmark;
    r.sampleIndex = sample;
    r.sampleId = u"s%1"_s.arg(sample);
    r.t.sendNs = sample * 1000;
    r.t.firstTokenNs = r.t.sendNs + 200;
    r.t.lastTokenNs = r.t.sendNs + 900;
    r.t.endNs = r.t.sendNs + 950;
    r.inputTokens = 20;
    r.outputTokens = 8;
    r.tokenSource = TokenSource::Usage;
    r.score = double(sample % 2);
    return r;
}

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    bool numeric = true;
    const int records = args.size() > 1 ? args.at(1).toInt(&numeric) : 100000;
    if (!numeric || records <= 0) {
        std::fprintf(stderr, "usage: writer_throughput [RECORDS]\n");
        return 2;
    }

    QTemporaryDir dir;
    const QString path = dir.filePath(u"results.sqlite"_s);
    ResultsStore store;
    QString error;
    if (!store.open(path, &error)) {
        std::fprintf(stderr, "%s\n", qPrintable(error));
        return 1;
    }
    const auto runId = store.createRun(u"speed"_s, "{}", 1, -1, &error);
    if (!runId) {
        std::fprintf(stderr, "%s\n", qPrintable(error));
        return 1;
    }
    std::vector<QString> prompts;
    for (int i = 0; i < 200; ++i)
        prompts.push_back(
            u"[{\"role\":\"user\",\"content\":\"Question %1: what is 17 * 23? Answer with a number.\"}]"_s.arg(i)
                .repeated(4));

    ResultsWriter writer(path);
    if (!writer.start(&error)) {
        std::fprintf(stderr, "%s\n", qPrintable(error));
        return 1;
    }
    QElapsedTimer timer;
    timer.start();
    std::vector<std::thread> producers;
    for (int t = 0; t < 2; ++t) {
        producers.emplace_back([&, t] {
            for (int i = t; i < records; i += 2) {
                auto r = makeRecord(*runId, i % 2, i % 5, i);
                r.prompt = prompts[size_t(i % 200)];
                r.response = u"The answer is 391. "_s.repeated(5);
                if (i % 50 == 0)
                    r.failedAttempts.push_back({ 1, ErrorClass::Http429, 429, 0, 10, u"slow down"_s });
                writer.enqueue(std::move(r));
            }
        });
    }
    for (auto& p : producers)
        p.join();
    const bool flushed = writer.flush();
    const double seconds = double(timer.nsecsElapsed()) / 1e9;
    const qint64 stored = store.storedRecordCount(*runId);
    std::printf("writer throughput: %d records in %.2f s = %.0f records/s\n", records, seconds, records / seconds);
    if (!flushed || stored != records) {
        std::fprintf(stderr, "stored %lld of %d records: %s\n", qlonglong(stored), records, qPrintable(writer.error()));
        return 1;
    }
    return 0;
}
