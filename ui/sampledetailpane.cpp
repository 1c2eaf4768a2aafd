#include "ui/sampledetailpane.h"

#include <QFormLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QPlainTextEdit>
#include <QSplitter>
#include <QTabWidget>
#include <QTableWidget>
#include <QVBoxLayout>

#include <cmath>

using namespace Qt::StringLiterals;

namespace evs {

namespace {

QPlainTextEdit* textPane(const QString& name, QWidget* parent)
{
    auto* e = new QPlainTextEdit(parent);
    e->setObjectName(name);
    e->setReadOnly(true);
    e->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    return e;
}

QLabel* factLabel(const QString& name, QWidget* parent)
{
    auto* l = new QLabel(parent);
    l->setObjectName(name);
    l->setTextInteractionFlags(Qt::TextSelectableByMouse);
    // Long values are cut rather than widening the pane.
    l->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    l->setMinimumWidth(1);
    return l;
}

QString ms(qint64 ns)
{
    return ns < 0 ? u"—"_s : u"%1 ms"_s.arg(double(ns) / 1e6, 0, 'f', 1);
}

QTableWidgetItem* cell(const QString& text, bool number = false)
{
    auto* item = new QTableWidgetItem(text);
    item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable);
    if (number)
        item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    return item;
}

QTableWidget* table(const QString& name, const QStringList& headers, QWidget* parent)
{
    auto* t = new QTableWidget(0, int(headers.size()), parent);
    t->setObjectName(name);
    t->setHorizontalHeaderLabels(headers);
    t->verticalHeader()->hide();
    t->setEditTriggers(QAbstractItemView::NoEditTriggers);
    t->setSelectionBehavior(QAbstractItemView::SelectRows);
    t->horizontalHeader()->setStretchLastSection(true);
    t->setWordWrap(false);
    return t;
}

} // namespace

SampleDetailPane::SampleDetailPane(QWidget* parent)
    : QWidget(parent)
{
    setObjectName(u"sampleDetailPane"_s);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 0, 0, 0);

    m_title = new QLabel(this);
    m_title->setObjectName(u"detailTitle"_s);
    m_title->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_title->setWordWrap(true);
    QFont bold = m_title->font();
    bold.setBold(true);
    m_title->setFont(bold);
    layout->addWidget(m_title);

    auto* facts = new QFormLayout;
    facts->setFieldGrowthPolicy(QFormLayout::ExpandingFieldsGrow);
    facts->setRowWrapPolicy(QFormLayout::DontWrapRows);
    m_status = factLabel(u"detailStatus"_s, this);
    m_score = factLabel(u"detailScore"_s, this);
    m_latency = factLabel(u"detailLatency"_s, this);
    m_ttft = factLabel(u"detailTtft"_s, this);
    m_tokens = factLabel(u"detailTokens"_s, this);
    facts->addRow(tr("Status"), m_status);
    facts->addRow(tr("Score"), m_score);
    auto* latencyName = new QLabel(tr("Latency"), this);
    latencyName->setToolTip(tr("End-to-end latency: t_last_token − t_send (whole responses: t_end − t_send)"));
    facts->addRow(latencyName, m_latency);
    auto* ttftName = new QLabel(tr("TTFT"), this);
    ttftName->setToolTip(tr("Time to first token: t_first_token − t_send"));
    facts->addRow(ttftName, m_ttft);
    facts->addRow(tr("Tokens"), m_tokens);
    layout->addLayout(facts);

    m_tabs = new QTabWidget(this);
    m_tabs->setObjectName(u"detailTabs"_s);
    m_tabs->setDocumentMode(true);

    auto* answer = new QSplitter(Qt::Vertical, m_tabs);
    auto* responseBox = new QWidget(answer);
    auto* rl = new QVBoxLayout(responseBox);
    rl->setContentsMargins(0, 4, 0, 0);
    rl->addWidget(new QLabel(tr("Response"), responseBox));
    m_response = textPane(u"detailResponse"_s, responseBox);
    rl->addWidget(m_response);
    auto* expectedBox = new QWidget(answer);
    auto* el = new QVBoxLayout(expectedBox);
    el->setContentsMargins(0, 4, 0, 0);
    el->addWidget(new QLabel(tr("Expected answer"), expectedBox));
    m_expected = textPane(u"detailExpected"_s, expectedBox);
    el->addWidget(m_expected);
    answer->addWidget(responseBox);
    answer->addWidget(expectedBox);
    answer->setStretchFactor(0, 3);
    answer->setStretchFactor(1, 1);
    m_tabs->addTab(answer, tr("Answer"));

    m_prompt = textPane(u"detailPrompt"_s, m_tabs);
    m_tabs->addTab(m_prompt, tr("Prompt"));
    m_explanation = textPane(u"detailExplanation"_s, m_tabs);
    m_tabs->addTab(m_explanation, tr("Scoring"));
    m_timings = table(u"detailTimings"_s, { tr("Event"), tr("Run clock (s)"), tr("From send") }, m_tabs);
    m_tabs->addTab(m_timings, tr("Timings"));
    m_attempts = table(u"detailAttempts"_s, { tr("#"), tr("Outcome"), tr("HTTP"), tr("Took"), tr("Message") }, m_tabs);
    m_tabs->addTab(m_attempts, tr("Attempts"));
    m_error = textPane(u"detailError"_s, m_tabs);
    m_tabs->addTab(m_error, tr("Error"));
    layout->addWidget(m_tabs, 1);

    clear(tr("Select a sample to see it here."));
}

QString SampleDetailPane::formatPrompt(const QString& messagesJson)
{
    const QJsonDocument doc = QJsonDocument::fromJson(messagesJson.toUtf8());
    if (!doc.isArray())
        return messagesJson;
    QStringList parts;
    for (const auto& v : doc.array()) {
        const QJsonObject m = v.toObject();
        const QJsonValue content = m.value(u"content"_s);
        const QString text = content.isString()
            ? content.toString()
            : QString::fromUtf8(QJsonDocument(content.toArray()).toJson(QJsonDocument::Indented));
        parts.append(u"[%1]\n%2"_s.arg(m.value(u"role"_s).toString(), text));
    }
    return parts.join(u"\n\n"_s);
}

void SampleDetailPane::clear(const QString& message)
{
    m_resultId = 0;
    m_title->setText(message);
    for (QLabel* l : { m_status, m_score, m_latency, m_ttft, m_tokens })
        l->clear();
    for (QPlainTextEdit* e : { m_response, m_expected, m_prompt, m_explanation, m_error })
        e->clear();
    m_timings->setRowCount(0);
    m_attempts->setRowCount(0);
    m_tabs->setEnabled(false);
}

void SampleDetailPane::setDetail(const ResultDetail& d, const QString& modelName, const QString& benchmarkName)
{
    const ResultRow& r = d.row;
    m_resultId = r.id;
    m_tabs->setEnabled(true);
    const QString sample = r.sampleId.isEmpty() ? u"#%1"_s.arg(r.sampleIndex) : r.sampleId;
    m_title->setText(u"%1%2 · %3 · %4"_s.arg(sample, r.repeat > 0 ? tr(" (repeat %1)").arg(r.repeat + 1) : QString(),
                         modelName, benchmarkName)
        + (r.category.isEmpty() ? QString() : u" · "_s + r.category));

    QString status = r.errorClass.isEmpty() ? tr("ok") : r.errorClass;
    if (r.httpStatus != 0)
        status += tr(", HTTP %1").arg(r.httpStatus);
    if (r.attempts > 1)
        status += tr(", %1 attempts").arg(r.attempts);
    if (r.cached)
        status += tr(", served from the response cache");
    if (!d.finishReason.isEmpty())
        status += tr(", finish: %1").arg(d.finishReason);
    m_status->setText(status);

    if (r.scoreError)
        m_score->setText(tr("the scorer could not score this answer"));
    else if (std::isnan(r.score))
        m_score->setText(tr("not scored"));
    else
        m_score->setText(QString::number(r.score, 'g', 4));
    m_latency->setText(ms(r.latencyNs));
    m_ttft->setText(ms(r.ttftNs));
    QStringList tokens;
    if (d.inputTokens >= 0)
        tokens << tr("%1 in").arg(d.inputTokens);
    if (r.outputTokens >= 0)
        tokens << tr("%1 out").arg(r.outputTokens);
    if (!d.tokenSource.isEmpty())
        tokens
            << tr("counted from %1").arg(d.tokenSource == u"usage"_s ? tr("the server's usage") : tr("stream events"));
    if (d.tokenEvents > 0)
        tokens << tr("%1 token events").arg(d.tokenEvents);
    m_tokens->setText(tokens.isEmpty() ? u"—"_s : tokens.join(u", "_s));

    QString response = d.response;
    if (!d.reasoning.isEmpty())
        response = tr("[reasoning]\n%1\n\n[answer]\n%2").arg(d.reasoning, d.response);
    m_response->setPlainText(response);
    m_expected->setPlainText(d.expected);
    m_prompt->setPlainText(formatPrompt(d.prompt));

    QString scoring = d.scoreExplanation.isEmpty() ? tr("(no explanation)") : d.scoreExplanation;
    if (!d.judgePrompt.isEmpty() || !d.judgeResponse.isEmpty()) {
        scoring += tr("\n\n— Judge prompt —\n%1\n\n— Judge verdict —\n%2")
                       .arg(formatPrompt(d.judgePrompt), d.judgeResponse);
    }
    m_explanation->setPlainText(scoring);

    const struct {
        const char* name;
        qint64 ns;
    } events[] = { { "t_sched", d.tSched }, { "t_send", d.tSend }, { "t_wire", d.tWire }, { "t_headers", d.tHeaders },
        { "t_first_token", d.tFirstToken }, { "t_first_content", d.tFirstContent }, { "t_last_token", d.tLastToken },
        { "t_end", d.tEnd } };
    m_timings->setRowCount(0);
    for (const auto& e : events) {
        const int row = m_timings->rowCount();
        m_timings->insertRow(row);
        m_timings->setItem(row, 0, cell(QString::fromLatin1(e.name)));
        m_timings->setItem(row, 1, cell(e.ns < 0 ? u"—"_s : QString::number(double(e.ns) / 1e9, 'f', 6), true));
        m_timings->setItem(row, 2,
            cell(e.ns < 0 || d.tSend < 0 ? u"—"_s : u"%1 ms"_s.arg(double(e.ns - d.tSend) / 1e6, 0, 'f', 2), true));
    }
    m_timings->resizeColumnsToContents();

    m_attempts->setRowCount(0);
    for (const AttemptInfo& a : d.attempts) {
        const int row = m_attempts->rowCount();
        m_attempts->insertRow(row);
        m_attempts->setItem(row, 0, cell(QString::number(a.attempt), true));
        QString outcome = a.errorClass.isEmpty() ? tr("ok") : a.errorClass;
        if (a.final)
            outcome += tr(" (final)");
        m_attempts->setItem(row, 1, cell(outcome));
        m_attempts->setItem(row, 2, cell(a.httpStatus ? QString::number(a.httpStatus) : u"—"_s, true));
        m_attempts->setItem(row, 3, cell(a.sendNs >= 0 && a.endNs >= 0 ? ms(a.endNs - a.sendNs) : u"—"_s, true));
        auto* msg = cell(a.errorMessage);
        msg->setToolTip(a.errorMessage);
        m_attempts->setItem(row, 4, msg);
    }
    m_attempts->resizeColumnsToContents();
    m_attempts->horizontalHeader()->setStretchLastSection(true);

    QString error;
    if (r.errorClass.isEmpty() && d.errorMessage.isEmpty()) {
        error = tr("No error.");
    } else {
        error = tr("class: %1\nHTTP status: %2\n\n%3")
                    .arg(r.errorClass.isEmpty() ? tr("(none)") : r.errorClass)
                    .arg(r.httpStatus)
                    .arg(d.errorMessage);
    }
    m_error->setPlainText(error);
    // A failed sample opens on what went wrong.
    m_tabs->setTabText(5, r.errorClass.isEmpty() ? tr("Error") : tr("Error ●"));
}

} // namespace evs
