#pragma once

#include <QFutureWatcher>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QtConcurrent/QtConcurrentRun>

#include <optional>
#include <type_traits>
#include <utility>

namespace evs {

// The one way the GUI gets a result from a worker thread (docs/style.md, "Work off the GUI thread"), after
// heaptrack's parser and hotspot's JobTracker. A subclass starts a job with start(); the job runs on Qt's thread
// pool (it needs no event loop), and its value comes back on the loader's thread, where the subclass announces it
// with a typed, past-tense signal carrying the value (`loaded(const T&)`). An error comes back as failed().
//
// Only the newest job answers: each start() opens a new generation, and a result whose generation is no longer
// current is dropped. A result that arrives after the loader is gone is dropped too: the watcher is the loader's
// child, and the delivery checks a QPointer to the loader (QFuture::then(context, …) is not used: in Qt 6.4 it
// asserts on a null context in debug builds). A loader is the child of the page it serves, so a page that is
// deleted takes its pending results with it. Jobs therefore capture values only, never the loader or its page, and
// may outlive both (the application waits for Qt's thread pool when it exits).
class BackgroundLoader : public QObject {
    Q_OBJECT
    Q_PROPERTY(bool busy READ isBusy NOTIFY busyChanged)
public:
    explicit BackgroundLoader(QObject* parent = nullptr);
    ~BackgroundLoader() override;

    bool isBusy() const { return m_busy; } // the newest job has not answered yet
    quint64 generation() const { return m_generation; }
    // Drops the answer of the job under way; the job itself runs to its end.
    void cancel();

Q_SIGNALS:
    void busyChanged(bool busy);
    void failed(const QString& error);

protected:
    // Runs `job(QString* error) -> T` on a worker thread. If the job set an error, failed(error) is emitted;
    // otherwise `deliver(const T&)` is called on this object's thread. Neither happens for a stale job.
    template<typename Job, typename Deliver> void start(Job job, Deliver deliver);

private:
    quint64 beginJob();
    bool finishJob(quint64 generation); // true when the job is still the newest one

    quint64 m_generation = 0;
    bool m_busy = false;
};

template<typename Job, typename Deliver> void BackgroundLoader::start(Job job, Deliver deliver)
{
    using T = std::decay_t<std::invoke_result_t<Job&, QString*>>;
    struct Outcome {
        std::optional<T> value;
        QString error;
    };
    const quint64 generation = beginJob();
    auto* watcher = new QFutureWatcher<Outcome>(this);
    const QPointer<BackgroundLoader> self(this);
    connect(watcher, &QFutureWatcherBase::finished, this,
        [self, watcher, generation, deliver = std::move(deliver)]() mutable {
            watcher->deleteLater();
            if (!self || !self->finishJob(generation))
                return; // a newer job was started, or the loader was cancelled
            if (watcher->future().resultCount() == 0) {
                Q_EMIT self->failed(tr("the background job ended without a result"));
                return;
            }
            const Outcome outcome = watcher->result();
            if (!outcome.error.isEmpty() || !outcome.value)
                Q_EMIT self->failed(outcome.error);
            else
                deliver(*outcome.value);
        });
    watcher->setFuture(QtConcurrent::run([job = std::move(job)]() mutable {
        Outcome outcome;
        T value = job(&outcome.error);
        if (outcome.error.isEmpty())
            outcome.value = std::move(value);
        return outcome;
    }));
}

} // namespace evs
