#include "app/reports/reportformat.h"

#include <QFileInfo>

using namespace Qt::StringLiterals;

namespace evs {

QString reportFormatName(ReportFormat f)
{
    switch (f) {
    case ReportFormat::Html:
        return u"html"_s;
    case ReportFormat::Pdf:
        return u"pdf"_s;
    case ReportFormat::Csv:
        return u"csv"_s;
    case ReportFormat::Json:
        return u"json"_s;
    case ReportFormat::Jsonl:
        return u"jsonl"_s;
    case ReportFormat::Markdown:
        return u"md"_s;
    case ReportFormat::Junit:
        return u"junit"_s;
    case ReportFormat::Prometheus:
        return u"prom"_s;
    }
    return QString();
}

QString reportFormatSuffix(ReportFormat f)
{
    return f == ReportFormat::Junit ? u"xml"_s : reportFormatName(f);
}

QStringList reportFormatNames()
{
    return { u"html"_s, u"pdf"_s, u"csv"_s, u"json"_s, u"jsonl"_s, u"md"_s, u"junit"_s, u"prom"_s };
}

std::optional<ReportFormat> reportFormatFromName(QStringView name)
{
    const QString n = name.toString().toLower();
    if (n == u"html"_s || n == u"htm"_s)
        return ReportFormat::Html;
    if (n == u"pdf"_s)
        return ReportFormat::Pdf;
    if (n == u"csv"_s)
        return ReportFormat::Csv;
    if (n == u"json"_s)
        return ReportFormat::Json;
    if (n == u"jsonl"_s || n == u"ndjson"_s)
        return ReportFormat::Jsonl;
    if (n == u"md"_s || n == u"markdown"_s)
        return ReportFormat::Markdown;
    if (n == u"junit"_s || n == u"xml"_s)
        return ReportFormat::Junit;
    if (n == u"prom"_s || n == u"prometheus"_s)
        return ReportFormat::Prometheus;
    return std::nullopt;
}

std::optional<ReportFormat> reportFormatFromPath(const QString& path)
{
    return reportFormatFromName(QFileInfo(path).suffix());
}

} // namespace evs
