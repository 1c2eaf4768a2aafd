#pragma once

#include <QString>
#include <QStringList>

#include <optional>

namespace evs {

enum class ReportFormat { Html, Pdf, Csv, Json, Jsonl, Markdown, Junit, Prometheus };

QString reportFormatName(ReportFormat f); // "html", "pdf", "csv", "json", "jsonl", "md", "junit", "prom"
std::optional<ReportFormat> reportFormatFromName(QStringView name); // also "markdown", "xml", "prometheus"
std::optional<ReportFormat> reportFormatFromPath(const QString& path); // by the file name's suffix
QString reportFormatSuffix(ReportFormat f); // "html", "pdf", "csv", "json", "jsonl", "md", "xml", "prom"
QStringList reportFormatNames();

} // namespace evs
