#include "app/reports/junitreport.h"

#include "app/reports/reportdata.h"
#include "app/reports/reporttables.h"
#include "models/core/metricdefinitions.h"

#include <QXmlStreamWriter>

#include <cmath>

using namespace Qt::StringLiterals;

namespace evs {

namespace {

// XML 1.0 cannot carry most control characters, even escaped.
QString xmlSafe(const QString& s)
{
    QString out = s;
    for (QChar& c : out) {
        if (c.unicode() < 0x20 && c != u'\n' && c != u'\t' && c != u'\r')
            c = u' ';
    }
    return out;
}

} // namespace

QByteArray JunitReport::render(const ReportData& d)
{
    const auto& results = d.thresholdReport.results;
    const auto& pairs = d.summary.pairs;
    QVector<QStringList> pairFailures(pairs.size());
    for (const auto& r : results) {
        if (r.passed)
            continue;
        for (qsizetype i = 0; i < pairs.size(); ++i) {
            if (pairs[i].modelIndex == r.modelIndex && pairs[i].benchmarkIndex == r.benchmarkIndex)
                pairFailures[i] << r.describe();
        }
    }
    int pairFailed = 0;
    for (const auto& f : pairFailures)
        pairFailed += f.isEmpty() ? 0 : 1;
    const int thresholdFailed = d.thresholdReport.failedCount();

    QByteArray xml;
    QXmlStreamWriter w(&xml);
    w.setAutoFormatting(true);
    w.writeStartDocument();
    w.writeStartElement(u"testsuites"_s);
    w.writeAttribute(u"name"_s, xmlSafe(u"evalsandbox run %1: %2"_s.arg(d.run.id).arg(d.run.name)));
    w.writeAttribute(u"tests"_s, QString::number(results.size() + pairs.size()));
    w.writeAttribute(u"failures"_s, QString::number(thresholdFailed + pairFailed));
    w.writeAttribute(u"errors"_s, u"0"_s);

    w.writeStartElement(u"testsuite"_s);
    w.writeAttribute(u"name"_s, u"thresholds"_s);
    w.writeAttribute(u"tests"_s, QString::number(results.size()));
    w.writeAttribute(u"failures"_s, QString::number(thresholdFailed));
    w.writeAttribute(u"errors"_s, u"0"_s);
    w.writeAttribute(u"skipped"_s, u"0"_s);
    w.writeAttribute(u"timestamp"_s, d.run.startedAt.toUTC().toString(Qt::ISODate));
    w.writeStartElement(u"properties"_s);
    w.writeEmptyElement(u"property"_s);
    w.writeAttribute(u"name"_s, u"run_id"_s);
    w.writeAttribute(u"value"_s, QString::number(d.run.id));
    w.writeEmptyElement(u"property"_s);
    w.writeAttribute(u"name"_s, u"definition"_s);
    w.writeAttribute(u"value"_s, metricDefinition(u"threshold"));
    w.writeEndElement(); // properties
    for (const auto& r : results) {
        w.writeStartElement(u"testcase"_s);
        w.writeAttribute(u"classname"_s, xmlSafe(u"thresholds.%1.%2"_s.arg(r.modelId, r.benchmarkId)));
        w.writeAttribute(u"name"_s,
            xmlSafe(u"%1 %2 %3"_s.arg(r.threshold.metric, r.threshold.op, ReportTables::exact(r.threshold.value))));
        w.writeAttribute(u"time"_s, u"0"_s);
        if (!r.passed) {
            w.writeStartElement(u"failure"_s);
            w.writeAttribute(u"type"_s, u"threshold"_s);
            w.writeAttribute(u"message"_s, xmlSafe(r.describe()));
            w.writeCharacters(xmlSafe(r.describe()));
            w.writeEndElement();
        }
        w.writeTextElement(u"system-out"_s,
            xmlSafe(u"actual %1\n"_s.arg(std::isnan(r.actual) ? u"no data"_s : ReportTables::exact(r.actual))));
        w.writeEndElement();
    }
    w.writeEndElement(); // testsuite

    w.writeStartElement(u"testsuite"_s);
    w.writeAttribute(u"name"_s, u"benchmarks"_s);
    w.writeAttribute(u"tests"_s, QString::number(pairs.size()));
    w.writeAttribute(u"failures"_s, QString::number(pairFailed));
    w.writeAttribute(u"errors"_s, u"0"_s);
    w.writeAttribute(u"skipped"_s, u"0"_s);
    w.writeStartElement(u"properties"_s);
    w.writeEmptyElement(u"property"_s);
    w.writeAttribute(u"name"_s, u"definition"_s);
    w.writeAttribute(u"value"_s, metricDefinition(u"score"));
    w.writeEndElement();
    for (qsizetype i = 0; i < pairs.size(); ++i) {
        const auto& p = pairs[i];
        w.writeStartElement(u"testcase"_s);
        w.writeAttribute(u"classname"_s, xmlSafe(u"benchmarks.%1"_s.arg(p.modelId)));
        w.writeAttribute(u"name"_s, xmlSafe(u"%1 pass rate"_s.arg(p.benchmarkId)));
        if (std::isfinite(p.durationS)) // optional: a pair with nothing sent has no duration
            w.writeAttribute(u"time"_s, ReportTables::exact(p.durationS));
        w.writeStartElement(u"properties"_s);
        // A figure without data is an empty value, never 0 or NaN.
        auto figure = [](double v) { return std::isfinite(v) ? ReportTables::exact(v) : QString(); };
        const std::pair<QString, QString> props[] = { { u"requests"_s, QString::number(p.n) },
            { u"failed"_s, QString::number(p.failed) }, { u"scored"_s, QString::number(p.scored) },
            { u"pass_rate"_s, p.scored ? figure(p.scoreMean) : QString() },
            { u"ci_low"_s, p.scored ? figure(p.scoreCiLow) : QString() },
            { u"ci_high"_s, p.scored ? figure(p.scoreCiHigh) : QString() }, { u"ci_method"_s, p.ciMethod },
            { u"error_rate"_s, figure(p.errorRate()) },
            { u"latency_p95_ms"_s, p.latencyMs.isEmpty() ? QString() : figure(p.latencyMs.p95) } };
        for (const auto& [name, value] : props) {
            w.writeEmptyElement(u"property"_s);
            w.writeAttribute(u"name"_s, name);
            w.writeAttribute(u"value"_s, value);
        }
        w.writeEndElement();
        if (!pairFailures[i].isEmpty()) {
            w.writeStartElement(u"failure"_s);
            w.writeAttribute(u"type"_s, u"threshold"_s);
            w.writeAttribute(u"message"_s,
                xmlSafe(u"%1 threshold check(s) failed for %2 / %3"_s.arg(pairFailures[i].size())
                            .arg(p.modelId, p.benchmarkId)));
            w.writeCharacters(xmlSafe(pairFailures[i].join(u'\n')));
            w.writeEndElement();
        }
        w.writeTextElement(u"system-out"_s,
            xmlSafe(p.scored ? u"pass rate %1, 95 % CI [%2, %3] (%4), %5 scored of %6 requests, %7 failed\n"_s
                                   .arg(ReportTables::fraction(p.scoreMean), ReportTables::fraction(p.scoreCiLow),
                                       ReportTables::fraction(p.scoreCiHigh), p.ciMethod)
                                   .arg(p.scored)
                                   .arg(p.n)
                                   .arg(p.failed)
                             : u"not scored; %1 requests, %2 failed\n"_s.arg(p.n).arg(p.failed)));
        w.writeEndElement();
    }
    w.writeEndElement(); // testsuite
    w.writeEndElement(); // testsuites
    w.writeEndDocument();
    return xml;
}

} // namespace evs
