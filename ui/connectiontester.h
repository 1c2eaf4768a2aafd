#pragma once

#include "models/core/modelspec.h"

#include <QMetaType>
#include <QNetworkReply>
#include <QObject>
#include <QPointer>
#include <QStringList>

#include <memory>

class QNetworkAccessManager;

namespace evs {

class Provider;
class ResponseParser;
class SimulatorHost;

struct ConnectionTestResult {
    QString url; // the base URL that was tested (an in-process simulator's loopback address included)
    int modelsStatus = 0; // HTTP status of the model list request; 0 = no HTTP answer
    QStringList models; // ids the server listed
    QString modelsError;
    int status = 0; // HTTP status of the one-token chat request; 0 = no HTTP answer
    double latencyMs = -1; // chat request, send to end
    double ttftMs = -1; // chat request, send to first token (-1 when none came)
    QString reply; // what the model answered
    QString error; // why the chat request failed; empty when it succeeded
    bool ok() const { return error.isEmpty() && status >= 200 && status < 300; }
};

// "Test connection" of the models page: one GET of the provider's model list, then one one-token chat request built
// by the provider and read by its parser. A simulator model without a base URL is tested against a simulator
// started on loopback for the duration. Lives on the GUI thread; the network work is asynchronous.
class ConnectionTester : public QObject {
    Q_OBJECT
public:
    explicit ConnectionTester(QObject* parent = nullptr);
    ~ConnectionTester() override;

    // Starts a test (a running one is abandoned). False with error when the model cannot be tested at all.
    bool start(const ModelSpec& spec, const QString& apiKey, QString* error);
    bool isRunning() const { return m_reply != nullptr; }
    void cancel();

Q_SIGNALS:
    void finished(const evs::ConnectionTestResult& result);

private:
    void onModelsFinished();
    void sendChat();
    void onChatFinished();
    void finish();

    QNetworkAccessManager* m_nam;
    std::unique_ptr<SimulatorHost> m_simulator;
    std::unique_ptr<Provider> m_provider;
    std::unique_ptr<ResponseParser> m_parser;
    QPointer<QNetworkReply> m_reply;
    ModelSpec m_spec;
    QString m_apiKey;
    ConnectionTestResult m_result;
    qint64 m_sentNs = 0;
    quint64 m_generation = 0;
};

} // namespace evs

Q_DECLARE_METATYPE(evs::ConnectionTestResult)
