// BackgroundLoader: a job's value or error comes back on the loader's thread as a typed signal; an answer whose
// generation is no longer current is dropped, whichever job finishes first; a loader deleted (with its page) before
// the answer arrives takes the answer with it: no call and no crash.

#include "ui/backgroundloader.h"

#include <QSemaphore>
#include <QSignalSpy>
#include <QTest>
#include <QThread>
#include <QThreadPool>

#include <memory>

using namespace Qt::StringLiterals;

namespace evs {

// A loader as the pages write them: one job kind, a typed past-tense signal. The job waits for its gate to open,
// so that a test decides when (and in which order) jobs finish.
class GatedLoader : public BackgroundLoader {
    Q_OBJECT
public:
    using BackgroundLoader::BackgroundLoader;
    using Gate = std::shared_ptr<QSemaphore>;

    void load(int value, Gate gate, const QString& failWith = {})
    {
        start(
            [value, gate, failWith](QString* error) {
                gate->acquire();
                if (!failWith.isEmpty())
                    *error = failWith;
                return u"value %1 on %2"_s.arg(value).arg(QThread::currentThread()->objectName());
            },
            [this](const QString& v) { Q_EMIT loaded(v); });
    }

Q_SIGNALS:
    void loaded(const QString& value);
};

class TestBackgroundLoader : public QObject {
    Q_OBJECT
    static GatedLoader::Gate openGate()
    {
        auto gate = std::make_shared<QSemaphore>(0);
        gate->release();
        return gate;
    }

private Q_SLOTS:
    void valueArrivesOnTheLoadersThread()
    {
        QThread::currentThread()->setObjectName(u"gui"_s);
        GatedLoader loader;
        QSignalSpy loaded(&loader, &GatedLoader::loaded);
        QSignalSpy failed(&loader, &GatedLoader::failed);
        QThread* deliveredOn = nullptr;
        connect(&loader, &GatedLoader::loaded, this, [&] { deliveredOn = QThread::currentThread(); });
        loader.load(7, openGate());
        QVERIFY(loader.isBusy());
        QVERIFY(loaded.wait(10000));
        QCOMPARE(loaded.count(), 1);
        // The job ran on a pool thread (not named "gui"); the answer came back on this one.
        QVERIFY(loaded.first().at(0).toString().startsWith(u"value 7 on "_s));
        QVERIFY(!loaded.first().at(0).toString().endsWith(u" on gui"_s));
        QCOMPARE(deliveredOn, QThread::currentThread());
        QCOMPARE(failed.count(), 0);
        QVERIFY(!loader.isBusy());
    }

    void errorArrivesAsFailed()
    {
        GatedLoader loader;
        QSignalSpy loaded(&loader, &GatedLoader::loaded);
        QSignalSpy failed(&loader, &GatedLoader::failed);
        loader.load(1, openGate(), u"disk on fire"_s);
        QVERIFY(failed.wait(10000));
        QCOMPARE(failed.first().at(0).toString(), u"disk on fire"_s);
        QCOMPARE(loaded.count(), 0);
        QVERIFY(!loader.isBusy());
    }

    void staleAnswerIsDropped_data()
    {
        QTest::addColumn<bool>("olderFinishesFirst");
        QTest::addRow("older job finishes first") << true;
        QTest::addRow("older job finishes last") << false;
    }

    void staleAnswerIsDropped()
    {
        QFETCH(bool, olderFinishesFirst);
        GatedLoader loader;
        QSignalSpy loaded(&loader, &GatedLoader::loaded);
        QSignalSpy failed(&loader, &GatedLoader::failed);
        auto older = std::make_shared<QSemaphore>(0);
        auto newer = std::make_shared<QSemaphore>(0);
        loader.load(1, older);
        const quint64 first = loader.generation();
        loader.load(2, newer);
        QVERIFY(loader.generation() > first);
        (olderFinishesFirst ? older : newer)->release();
        (olderFinishesFirst ? newer : older)->release();
        QVERIFY(loaded.wait(10000));
        // Both jobs have ended once the pool is idle; what either sent is delivered by then.
        QVERIFY(QThreadPool::globalInstance()->waitForDone(10000));
        QCoreApplication::processEvents();
        QCoreApplication::sendPostedEvents();
        QCOMPARE(loaded.count(), 1);
        QVERIFY(loaded.first().at(0).toString().startsWith(u"value 2 "_s));
        QCOMPARE(failed.count(), 0);
    }

    void cancelDropsTheAnswer()
    {
        GatedLoader loader;
        QSignalSpy loaded(&loader, &GatedLoader::loaded);
        QSignalSpy busy(&loader, &GatedLoader::busyChanged);
        auto gate = std::make_shared<QSemaphore>(0);
        loader.load(3, gate);
        loader.cancel();
        QVERIFY(!loader.isBusy());
        QCOMPARE(busy.count(), 2); // true, then false
        gate->release();
        QVERIFY(QThreadPool::globalInstance()->waitForDone(10000));
        QCoreApplication::sendPostedEvents();
        QCoreApplication::processEvents();
        QCOMPARE(loaded.count(), 0);
    }

    void deletedBeforeTheAnswer_data()
    {
        QTest::addColumn<bool>("deleteParent");
        QTest::addRow("loader deleted") << false;
        QTest::addRow("page (the loader's parent) deleted") << true;
    }

    void deletedBeforeTheAnswer()
    {
        QFETCH(bool, deleteParent);
        auto* page = new QObject;
        auto* loader = new GatedLoader(page);
        int calls = 0;
        // A receiver that outlives the loader: the connection goes with the loader.
        QObject receiver;
        connect(loader, &GatedLoader::loaded, &receiver, [&calls] { ++calls; });
        connect(loader, &GatedLoader::failed, &receiver, [&calls] { ++calls; });
        auto gate = std::make_shared<QSemaphore>(0);
        loader->load(4, gate);
        if (deleteParent)
            delete page;
        else
            delete loader;
        gate->release();
        QVERIFY(QThreadPool::globalInstance()->waitForDone(10000));
        QCoreApplication::sendPostedEvents();
        QCoreApplication::processEvents();
        QCOMPARE(calls, 0);
        if (!deleteParent)
            delete page;
    }

    void receiverDeletedBeforeTheAnswer()
    {
        GatedLoader loader;
        QSignalSpy loaded(&loader, &GatedLoader::loaded);
        int calls = 0;
        auto* receiver = new QObject;
        connect(&loader, &GatedLoader::loaded, receiver, [&calls] { ++calls; });
        auto gate = std::make_shared<QSemaphore>(0);
        loader.load(5, gate);
        delete receiver;
        gate->release();
        QVERIFY(loaded.wait(10000)); // the loader still answers; the deleted receiver is not called
        QCOMPARE(calls, 0);
    }
};

} // namespace evs

QTEST_GUILESS_MAIN(evs::TestBackgroundLoader)
#include "tst_backgroundloader.moc"
