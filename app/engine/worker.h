#pragma once

#include "app/engine/workitem.h"
#include "models/core/promptrequest.h"
#include "models/core/requestrecord.h"

#include <QJsonObject>
#include <QNetworkRequest>
#include <QObject>
#include <QTimer>

#include <memory>
#include <random>
#include <vector>

class QNetworkAccessManager;
class QNetworkReply;

namespace evs {

struct EngineContext;
class ResponseParser;

// One worker thread's share of the run: a fixed set of closed-loop slots, each keeping one request in flight
// for its model, spread over enough QNetworkAccessManagers that no QNAM needs more than 6 connections to a host
// (the Qt 6.4 limit). Lives on its own QThread; all slots run on that thread's event loop.
class Worker : public QObject {
    Q_OBJECT
public:
    // slotModels: the model index of each slot.
    Worker(EngineContext* context, std::vector<int> slotModels, quint64 seed, QObject* parent = nullptr);
    ~Worker() override;

public Q_SLOTS:
    void start();
    void resumeDispatch(); // after a pause
    void abortAll(); // cancel: in-flight requests end as canceled and are not stored

Q_SIGNALS:
    void drained(); // every slot has run out of work

private:
    enum class TimeoutKind { None, Connect, Idle, Total };
    struct Slot {
        int model = 0;
        int nam = 0;
        bool busy = false; // has a work item (in flight, or waiting for a retry/limit)
        bool done = false; // no more work
        bool waitingForResume = false;
        WorkItem item;
        PromptRequest prompt;
        QString promptJson;
        QByteArray body;
        QNetworkRequest request;
        int attempt = 0;
        int freeAttempts = 0; // re-sends that do not use the retry budget (stale connections)
        std::vector<AttemptRecord> failedAttempts;
        QNetworkReply* reply = nullptr;
        std::unique_ptr<ResponseParser> parser;
        Timings t;
        qint64 lastByteNs = -1;
        int httpStatus = 0;
        QByteArray errorBody;
        qint64 bodyBytes = 0;
        TimeoutKind timedOut = TimeoutKind::None;
        bool abortedByCancel = false;
        // LLM as judge: after the model's answer, the same slot sends the judge's request (judging = true).
        bool judging = false;
        int judgeModel = -1;
        PromptRequest judgePrompt;
        RequestRecord pending; // the sample's record, waiting for its score
        QJsonObject cacheRequest; // the canonical request, when the response cache is on
        QByteArray cacheKey;
    };

    void dispatch(int slot); // take the next item (or retry the current one) and send it
    bool takeNext(Slot& s);
    void send(int slot);
    void onMetaData(int slot);
    void onReadyRead(int slot);
    void onFinished(int slot);
    void sweepTimeouts();
    void complete(int slot, RequestRecord&& record);
    int activeModel(const Slot& s) const; // the model the slot's current request goes to
    bool serveFromCache(int slot);
    void fillRecordKey(const Slot& s, RequestRecord* rec) const;
    void scoreAndComplete(int slot, RequestRecord&& rec);
    void startJudge(int slot, RequestRecord&& record);
    void finishJudge(int slot, ErrorClass cls, const QString& message);
    void checkDrained();

    EngineContext* m_ctx;
    std::vector<Slot> m_slots;
    std::vector<std::unique_ptr<QNetworkAccessManager>> m_nams;
    std::vector<int> m_slotModels;
    QTimer* m_sweep = nullptr;
    std::mt19937_64 m_rng;
    bool m_drainedSent = false;
};

} // namespace evs
