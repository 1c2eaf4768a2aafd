// Results browser benchmark probe (driven by bench_results_browser.sh). Two modes:
//   results_scroll_probe generate DB SAMPLES [--proposed-indexes]
//       writes one completed run of SAMPLES records (2 models x 1 benchmark) with ResultsWriter; prints the run id.
//   results_scroll_probe scroll DB RUN_ID [--sort score|latency|sample] [--desc] [--max-steps N] [--shot PNG]
//       opens the real ResultsBrowser on the run, scrolls from top to bottom a viewport page at a time and prints
//       JSON: the time each page cost (scroll until every visible row is read and painted), random jumps, and RSS.
// Figures only; nothing is asserted.
#include "models/browse/resultstablemodel.h"
#include "models/store/resultsstore.h"
#include "models/store/resultswriter.h"
#include "ui/resultsbrowser.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QScrollBar>
#include <QTableView>
#include <QTextStream>
#include <QTimer>

#include <sqlite3.h>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <vector>

using namespace Qt::StringLiterals;
using namespace evs;

namespace {

double rssMb(const char* field)
{
    QFile f(u"/proc/self/status"_s);
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    const QByteArray key = QByteArray(field) + ':';
    for (const QByteArray& line : f.readAll().split('\n')) {
        if (line.startsWith(key))
            return line.mid(key.size()).trimmed().split(' ').first().toDouble() / 1024.0;
    }
    return -1;
}

int generate(const QString& path, qint64 samples, bool proposedIndexes)
{
    QElapsedTimer timer;
    timer.start();
    ResultsStore store;
    QString error;
    if (!store.open(path, &error)) {
        std::fprintf(stderr, "%s\n", qPrintable(error));
        return 1;
    }
    const QByteArray plan = R"({"name":"scroll-bench","models":[{"id":"sim-fast"},{"id":"sim-slow"}],)"
                            R"("benchmarks":[{"id":"arithmetic"}]})";
    const qint64 perModel = samples / 2;
    const auto runId = store.createRun(u"scroll-bench"_s, plan, 1, perModel * 2, &error);
    if (!runId) {
        std::fprintf(stderr, "%s\n", qPrintable(error));
        return 1;
    }
    {
        ResultsWriter writer(path);
        if (!writer.start(&error)) {
            std::fprintf(stderr, "%s\n", qPrintable(error));
            return 1;
        }
        QRandomGenerator rng(42);
        static const char* categories[] = { "addition", "subtraction", "multiplication", "division" };
        for (qint64 s = 0; s < perModel; ++s) {
            for (int m = 0; m < 2; ++m) {
                RequestRecord r;
                r.runId = *runId;
                r.modelIndex = m;
                r.sampleIndex = s;
                r.sampleId = u"arith-%1"_s.arg(s, 7, 10, QLatin1Char('0'));
                r.category = QString::fromLatin1(categories[s % 4]);
                // 10,000 distinct prompts: stored once each in the texts table.
                r.prompt = u"[{\"role\":\"user\",\"content\":\"Answer with a number only.\\nWhat is %1 + %2?\"}]"_s
                               .arg(s % 100)
                               .arg(s / 100 % 100);
                r.expected = QString::number(s % 100 + s / 100 % 100);
                const qint64 send = (s * 2 + m) * 500'000;
                r.t.schedNs = send;
                r.t.sendNs = send;
                r.t.wireNs = send + 20'000;
                const qint64 latency = qint64(20e6 + rng.bounded(200e6) * (m + 1));
                if (rng.bounded(100) < 2) {
                    r.errorClass = ErrorClass::Http5xx;
                    r.httpStatus = 503;
                    r.errorMessage = u"HTTP 503: upstream overloaded"_s;
                    r.t.endNs = send + latency / 4;
                } else {
                    r.httpStatus = 200;
                    r.t.headersNs = send + latency / 5;
                    r.t.firstTokenNs = send + latency / 4;
                    r.t.firstContentNs = r.t.firstTokenNs;
                    r.t.lastTokenNs = send + latency;
                    r.t.endNs = r.t.lastTokenNs + 50'000;
                    r.inputTokens = 24;
                    r.outputTokens = 5 + rng.bounded(20);
                    r.tokenSource = TokenSource::Usage;
                    r.tokenEvents = int(r.outputTokens);
                    const bool right = rng.bounded(100) < 80;
                    const qint64 answer = s % 100 + s / 100 % 100 + (right ? 0 : 1 + rng.bounded(9));
                    r.response = u"The answer is %1."_s.arg(answer);
                    r.score = right ? 1.0 : 0.0;
                    r.scoreExplanation
                        = right ? u"numeric match"_s : u"expected %1, got %2"_s.arg(r.expected).arg(answer);
                    r.finishReason = u"stop"_s;
                }
                if (!writer.enqueue(std::move(r))) {
                    std::fprintf(stderr, "%s\n", qPrintable(writer.error()));
                    return 1;
                }
            }
        }
        if (!writer.flush()) {
            std::fprintf(stderr, "%s\n", qPrintable(writer.error()));
            return 1;
        }
    }
    store.setRunStatus(*runId, RunStatus::Completed, &error);
    const double writeS = double(timer.elapsed()) / 1000.0;
    if (proposedIndexes) {
        // The indexes proposed for models/store (see the report): each sort key with the rowid breaking ties.
        QElapsedTimer idx;
        idx.start();
        for (const char* sql : {
                 "CREATE INDEX IF NOT EXISTS results_browse_benchmark ON results "
                 "(run_id, benchmark_idx, model_idx, sample_idx, repeat)",
                 "CREATE INDEX IF NOT EXISTS results_browse_status ON results (run_id, IFNULL(error_class, ''))",
                 "CREATE INDEX IF NOT EXISTS results_browse_score ON results (run_id, IFNULL(score, -1.0))",
                 "CREATE INDEX IF NOT EXISTS results_browse_latency ON results "
                 "(run_id, IFNULL(COALESCE(t_last_token, t_end) - t_send, -1))",
                 "CREATE INDEX IF NOT EXISTS results_browse_ttft ON results (run_id, IFNULL(t_first_token - t_send, "
                 "-1))",
             }) {
            char* err = nullptr;
            if (sqlite3_exec(store.handle(), sql, nullptr, nullptr, &err) != SQLITE_OK) {
                std::fprintf(stderr, "%s\n", err);
                sqlite3_free(err);
                return 1;
            }
        }
        std::fprintf(stderr, "proposed indexes built in %.1f s\n", double(idx.elapsed()) / 1000.0);
    }
    std::fprintf(stderr, "wrote %lld records in %.1f s (%.0f records/s)\n", static_cast<long long>(perModel * 2),
        writeS, double(perModel * 2) / writeS);
    std::printf("%lld\n", static_cast<long long>(*runId));
    return 0;
}

struct Percentiles {
    double p50 = 0, p90 = 0, p99 = 0, p999 = 0, max = 0;
    qint64 over50 = 0;
};

Percentiles percentiles(std::vector<double> v)
{
    Percentiles p;
    if (v.empty())
        return p;
    std::sort(v.begin(), v.end());
    const auto at = [&](double q) { return v[size_t(q * double(v.size() - 1))]; };
    p.p50 = at(0.5);
    p.p90 = at(0.9);
    p.p99 = at(0.99);
    p.p999 = at(0.999);
    p.max = v.back();
    p.over50 = std::count_if(v.begin(), v.end(), [](double x) { return x > 50; });
    return p;
}

QJsonObject toJson(const Percentiles& p)
{
    return QJsonObject { { u"p50_ms"_s, p.p50 }, { u"p90_ms"_s, p.p90 }, { u"p99_ms"_s, p.p99 },
        { u"p999_ms"_s, p.p999 }, { u"max_ms"_s, p.max }, { u"over_50ms"_s, double(p.over50) } };
}

// Every row the viewport shows has been read.
bool visibleRowsLoaded(QTableView* table, const ResultsTableModel* model)
{
    const int first = table->rowAt(0);
    int last = table->rowAt(table->viewport()->height() - 1);
    if (first < 0)
        return model->rowCount() == 0;
    if (last < 0)
        last = model->rowCount() - 1;
    for (int r = first; r <= last; ++r) {
        if (!model->isRowLoaded(r))
            return false;
    }
    return true;
}

double threadCpuMs()
{
    timespec ts {};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return double(ts.tv_sec) * 1e3 + double(ts.tv_nsec) / 1e6;
}

// Processes events (which paints, as the screen would) until the visible rows are read and painted; the wall time it
// took in ms. cpuMs gets the GUI thread's CPU time over the same span: the machine's other load does not count there.
double settle(
    QTableView* table, const ResultsTableModel* model, QElapsedTimer& t, double cpuStart, double* cpuMs, bool* waited)
{
    *waited = false;
    for (int guard = 0; guard < 200000; ++guard) {
        QApplication::processEvents(QEventLoop::AllEvents);
        if (visibleRowsLoaded(table, model)) {
            QApplication::processEvents(QEventLoop::AllEvents); // the update the last page asked for
            break;
        }
        *waited = true;
        // Sleep in the event loop until a page arrives (processEvents(flags, ms) would spin instead).
        QEventLoop loop;
        QTimer::singleShot(20, &loop, &QEventLoop::quit);
        QObject::connect(model, &ResultsTableModel::pageLoaded, &loop, &QEventLoop::quit);
        loop.exec();
    }
    *cpuMs = threadCpuMs() - cpuStart;
    return double(t.nsecsElapsed()) / 1e6;
}

int scroll(const QString& path, qint64 runId, const QStringList& args)
{
    ResultsSort sort;
    const int sortAt = int(args.indexOf(u"--sort"_s));
    if (sortAt >= 0) {
        const QString key = args.value(sortAt + 1);
        sort.key = key == u"score"_s ? ResultsSortKey::Score
            : key == u"latency"_s    ? ResultsSortKey::Latency
                                     : ResultsSortKey::Sample;
    }
    sort.descending = args.contains(u"--desc"_s);
    const int maxAt = int(args.indexOf(u"--max-steps"_s));
    const qint64 maxSteps = maxAt >= 0 ? args.value(maxAt + 1).toLongLong() : -1;
    const int shotAt = int(args.indexOf(u"--shot"_s));
    const QString shot = shotAt >= 0 ? args.value(shotAt + 1) : QString();

    const double rssStart = rssMb("VmRSS");
    ResultsBrowser browser;
    browser.resize(1400, 900);
    browser.show();
    QTableView* table = browser.table();
    ResultsTableModel* model = browser.model();

    QElapsedTimer t;
    t.start();
    browser.setRun(path, runId);
    if (sort != ResultsSort {}) {
        table->horizontalHeader()->setSortIndicator(
            ResultsTableModel::columnForSortKey(sort.key), sort.descending ? Qt::DescendingOrder : Qt::AscendingOrder);
    }
    while ((model->isLoading() || model->rowCount() == 0) && t.elapsed() < 600000) {
        QEventLoop loop;
        QTimer::singleShot(20, &loop, &QEventLoop::quit);
        QObject::connect(model, &ResultsTableModel::loaded, &loop, &QEventLoop::quit);
        loop.exec();
    }
    const double indexMs = double(t.nsecsElapsed()) / 1e6;
    bool waited = false;
    double cpu = 0;
    t.restart();
    const double firstPageMs = settle(table, model, t, threadCpuMs(), &cpu, &waited);
    const double rssOpen = rssMb("VmRSS");

    QScrollBar* bar = table->verticalScrollBar();
    const int pageStep = bar->pageStep();
    std::vector<double> costs;
    std::vector<double> cpuCosts;
    qint64 waitedSteps = 0;
    for (qint64 step = 0; bar->value() < bar->maximum() && (maxSteps < 0 || step < maxSteps); ++step) {
        t.restart();
        const double cpuStart = threadCpuMs();
        bar->setValue(qMin(bar->maximum(), bar->value() + pageStep));
        costs.push_back(settle(table, model, t, cpuStart, &cpu, &waited));
        cpuCosts.push_back(cpu);
        if (waited)
            ++waitedSteps;
    }
    const double rssEnd = rssMb("VmRSS");
    const bool reachedEnd = bar->value() == bar->maximum();
    const int lastRow = table->rowAt(table->viewport()->height() - 1);

    // Random jumps (the scroll bar's thumb dragged anywhere): each lands on pages not read yet.
    std::vector<double> jumps;
    QRandomGenerator rng(7);
    for (int i = 0; i < 50; ++i) {
        t.restart();
        const double cpuStart = threadCpuMs();
        bar->setValue(int(rng.bounded(bar->maximum() + 1)));
        jumps.push_back(settle(table, model, t, cpuStart, &cpu, &waited));
    }
    if (!shot.isEmpty()) {
        bar->setValue(bar->maximum() / 2);
        settle(table, model, t, threadCpuMs(), &cpu, &waited);
        table->selectRow(table->rowAt(40));
        QApplication::processEvents();
        browser.grab().save(shot);
    }

    const QJsonObject out {
        { u"rows"_s, model->rowCount() },
        { u"sort"_s,
            QString((sortAt >= 0 ? args.value(sortAt + 1) : u"sample"_s) + (sort.descending ? u" desc"_s : u""_s)) },
        { u"index_ms"_s, indexMs },
        { u"first_page_ms"_s, firstPageMs },
        { u"visible_rows"_s, pageStep },
        { u"page_steps"_s, double(costs.size()) },
        { u"steps_that_waited_for_the_store"_s, double(waitedSteps) },
        { u"page_cost"_s, toJson(percentiles(costs)) },
        { u"page_gui_cpu"_s, toJson(percentiles(cpuCosts)) },
        { u"jump_cost"_s, toJson(percentiles(jumps)) },
        { u"reached_end"_s, reachedEnd },
        { u"last_visible_row"_s, lastRow },
        { u"pages_read"_s, double(model->pagesRead()) },
        { u"cached_pages"_s, model->cachedPageCount() },
        { u"rss_mb"_s,
            QJsonObject { { u"before_open"_s, rssStart }, { u"open"_s, rssOpen }, { u"after_scroll"_s, rssEnd },
                { u"peak"_s, rssMb("VmHWM") } } },
    };
    std::printf("%s\n", QJsonDocument(out).toJson(QJsonDocument::Indented).constData());
    return 0;
}

} // namespace

int main(int argc, char** argv)
{
    if (argc >= 4 && qstrcmp(argv[1], "generate") == 0) {
        QCoreApplication app(argc, argv);
        return generate(QString::fromLocal8Bit(argv[2]), QByteArray(argv[3]).toLongLong(),
            app.arguments().contains(u"--proposed-indexes"_s));
    }
    if (argc >= 4 && qstrcmp(argv[1], "scroll") == 0) {
        if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM") && qEnvironmentVariableIsEmpty("DISPLAY"))
            qputenv("QT_QPA_PLATFORM", "offscreen");
        QApplication app(argc, argv);
        return scroll(QString::fromLocal8Bit(argv[2]), QByteArray(argv[3]).toLongLong(), app.arguments());
    }
    std::fprintf(stderr,
        "usage: results_scroll_probe generate DB SAMPLES [--proposed-indexes]\n"
        "       results_scroll_probe scroll DB RUN_ID [--sort score|latency|sample] [--desc] [--max-steps N] "
        "[--shot PNG]\n");
    return 2;
}
