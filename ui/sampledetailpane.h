#pragma once

#include "models/browse/resultsquery.h"

#include <QWidget>

class QLabel;
class QPlainTextEdit;
class QTabWidget;
class QTableWidget;

namespace evs {

// Everything stored about one sample (docs/architecture.md section 8): prompt, response, expected answer, the scorer's
// explanation (and a judge's prompt and verdict), timings on the run's clock, every attempt with its error class,
// and the raw error. Object names: "sampleDetailPane", "detailTitle", "detailTabs", "detailStatus", "detailScore",
// "detailLatency", "detailTtft", "detailTokens", "detailResponse", "detailExpected", "detailPrompt",
// "detailExplanation", "detailTimings", "detailAttempts", "detailError".
class SampleDetailPane : public QWidget {
    Q_OBJECT
public:
    explicit SampleDetailPane(QWidget* parent = nullptr);

    // modelName/benchmarkName: the run's ids for the row's indexes.
    void setDetail(const ResultDetail& detail, const QString& modelName, const QString& benchmarkName);
    void clear(const QString& message = {});
    qint64 resultId() const { return m_resultId; }

    static QString formatPrompt(const QString& messagesJson); // the stored chat messages as readable text

private:
    QLabel* m_title;
    QLabel* m_status;
    QLabel* m_score;
    QLabel* m_latency;
    QLabel* m_ttft;
    QLabel* m_tokens;
    QTabWidget* m_tabs;
    QPlainTextEdit* m_response;
    QPlainTextEdit* m_expected;
    QPlainTextEdit* m_prompt;
    QPlainTextEdit* m_explanation;
    QTableWidget* m_timings;
    QTableWidget* m_attempts;
    QPlainTextEdit* m_error;
    qint64 m_resultId = 0;
};

} // namespace evs
