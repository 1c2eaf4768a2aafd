#include "app/reports/reportwriter.h"

#include "app/reports/csvexport.h"
#include "app/reports/htmlreport.h"
#include "app/reports/jsonexport.h"
#include "app/reports/junitreport.h"
#include "app/reports/markdownreport.h"
#include "app/reports/pdfreport.h"
#include "app/reports/prometheusexport.h"
#include "app/reports/reportdata.h"
#include "models/store/resultsstore.h"

#include <QFileInfo>
#include <QGuiApplication>
#include <QSaveFile>
#include <QtConcurrent/QtConcurrentRun>

using namespace Qt::StringLiterals;

namespace evs {

bool ReportWriter::needsGui(ReportFormat format)
{
    return format == ReportFormat::Html || format == ReportFormat::Pdf;
}

bool ReportWriter::write(const ResultsStore& store, qint64 runId, ReportFormat format, QIODevice& out, QString* error)
{
    if (needsGui(format) && !qobject_cast<QGuiApplication*>(QCoreApplication::instance())) {
        *error = u"%1 reports paint charts and need a QGuiApplication"_s.arg(reportFormatName(format));
        return false;
    }
    const bool charts = needsGui(format);
    const bool samples = format == ReportFormat::Html || format == ReportFormat::Markdown;
    const auto data = ReportData::load(store, runId, charts, samples, error);
    if (!data)
        return false;
    auto writeAll = [&](const QByteArray& bytes) {
        if (out.write(bytes) != bytes.size()) {
            *error = u"cannot write: %1"_s.arg(out.errorString());
            return false;
        }
        return true;
    };
    switch (format) {
    case ReportFormat::Html:
        return writeAll(HtmlReport::render(*data));
    case ReportFormat::Pdf:
        return PdfReport::write(*data, out, error);
    case ReportFormat::Csv:
        return CsvExport::write(store, *data, out, error);
    case ReportFormat::Json:
        return JsonExport::write(*data, out, error);
    case ReportFormat::Jsonl:
        return JsonlExport::write(store, *data, out, error);
    case ReportFormat::Markdown:
        return writeAll(MarkdownReport::render(*data));
    case ReportFormat::Junit:
        return writeAll(JunitReport::render(*data));
    case ReportFormat::Prometheus:
        return writeAll(PrometheusExport::render(*data));
    }
    *error = u"unknown report format"_s;
    return false;
}

bool ReportWriter::write(
    const ResultsStore& store, qint64 runId, ReportFormat format, const QString& path, QString* error)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        *error = u"cannot write %1: %2"_s.arg(path, file.errorString());
        return false;
    }
    if (!write(store, runId, format, file, error)) {
        file.cancelWriting();
        return false;
    }
    if (!file.commit()) {
        *error = u"cannot write %1: %2"_s.arg(path, file.errorString());
        return false;
    }
    return true;
}

bool ReportWriter::write(const QString& dbPath, qint64 runId, ReportFormat format, const QString& path, QString* error)
{
    if (!QFileInfo::exists(dbPath)) {
        *error = u"no results store at %1"_s.arg(dbPath);
        return false;
    }
    ResultsStore store;
    if (!store.open(dbPath, error))
        return false;
    return write(store, runId, format, path, error);
}

QFuture<QString> ReportWriter::writeAsync(const QString& dbPath, qint64 runId, ReportFormat format, const QString& path)
{
    return QtConcurrent::run([dbPath, runId, format, path] {
        QString error;
        if (!write(dbPath, runId, format, path, &error) && error.isEmpty())
            error = u"the report could not be written"_s;
        return error;
    });
}

} // namespace evs
