#include "app/benchmarks/samplesource.h"

#include "app/benchmarks/csvsamplesource.h"
#include "app/benchmarks/jsonarraysamplesource.h"
#include "app/benchmarks/jsonlsamplesource.h"
#include "models/plan/planparser.h"

#include <QBuffer>
#include <QFile>
#include <QFileInfo>

using namespace Qt::StringLiterals;

namespace evs {

namespace {

QString formatOfSuffix(const QString& suffix)
{
    const QString s = suffix.toLower();
    if (s == u"jsonl"_s || s == u"ndjson"_s || s == u"jsonlines"_s)
        return u"jsonl"_s;
    if (s == u"json"_s)
        return u"json"_s;
    if (s == u"csv"_s)
        return u"csv"_s;
    if (s == u"tsv"_s || s == u"tab"_s)
        return u"tsv"_s;
    return {};
}

// Looks at the first row of a CSV file (at most 1 MiB of it) for MMLU's headerless layout.
bool sniffMmlu(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return false;
    QByteArray head = f.read(1024 * 1024);
    QBuffer buffer(&head);
    buffer.open(QIODevice::ReadOnly);
    ByteStream in(&buffer);
    in.skipBom();
    QByteArrayList row;
    qint64 line = 0;
    QString reason;
    return CsvSampleSource::readRow(in, ',', &row, &line, &reason) == CsvSampleSource::Row::Ok
        && CsvSampleSource::looksLikeMmlu(row);
}

} // namespace

void SampleSource::reportBad(const QString& where, const QString& reason)
{
    ++m_badRecords;
    if (m_reports.size() < 100)
        m_reports << where + u": "_s + reason;
}

QStringList SampleSource::formatNames()
{
    return { u"jsonl"_s, u"json"_s, u"csv"_s, u"tsv"_s, u"mmlu_csv"_s };
}

QString SampleSource::datasetPath(const QString& dataset, QString* error)
{
    if (!dataset.startsWith(u"builtin:"_s))
        return dataset;
    const QString name = dataset.mid(8);
    if (!builtinNames().contains(name)) {
        *error = u"unknown builtin dataset \""_s + name + u"\"; builtins: "_s + builtinNames().join(u", "_s);
        return {};
    }
    return u":/benchmarks/"_s + name + u".jsonl"_s;
}

QString SampleSource::resolveFormat(const BenchmarkSpec& spec, QString* how, QString* error)
{
    QString ignored;
    if (!how)
        how = &ignored;
    if (!error)
        error = &ignored;
    if (!spec.format.isEmpty()) {
        if (!formatNames().contains(spec.format)) {
            *error = u"unknown dataset format \""_s + spec.format + u"\"; formats: "_s + formatNames().join(u", "_s);
            return {};
        }
        *how = u"given"_s;
        if (spec.format == u"csv"_s && sniffMmlu(datasetPath(spec.dataset, error))) {
            *how = u"given as csv; no header, six columns ending in a letter A-D: MMLU layout"_s;
            return u"mmlu_csv"_s;
        }
        return spec.format;
    }
    const QString path = datasetPath(spec.dataset, error);
    if (path.isEmpty())
        return {};
    const QString suffix = QFileInfo(path).suffix();
    const QString format = formatOfSuffix(suffix);
    if (format.isEmpty()) {
        *error = spec.dataset + u": cannot tell the format from the file name; set \"format\" to one of "_s
            + formatNames().join(u", "_s);
        return {};
    }
    *how = u"from the extension ."_s + suffix;
    if (format == u"csv"_s && sniffMmlu(path)) {
        *how += u"; no header, six columns ending in a letter A-D: MMLU layout"_s;
        return u"mmlu_csv"_s;
    }
    return format;
}

std::unique_ptr<SampleSource> SampleSource::open(const BenchmarkSpec& spec, QString* error)
{
    QString ignored;
    if (!error)
        error = &ignored;
    const QString format = resolveFormat(spec, nullptr, error);
    if (format.isEmpty())
        return nullptr;
    const QString path = datasetPath(spec.dataset, error);
    const QString& displayName = spec.dataset;
    auto file = std::make_unique<QFile>(path);
    if (!file->open(QIODevice::ReadOnly)) {
        *error = u"cannot open dataset "_s + displayName + u": "_s + file->errorString();
        return nullptr;
    }
    if (format == u"jsonl"_s)
        return std::make_unique<JsonlSampleSource>(std::move(file), displayName, spec.fields, spec.limit);
    if (format == u"json"_s)
        return std::make_unique<JsonArraySampleSource>(std::move(file), displayName, spec.fields, spec.limit);
    if (format == u"mmlu_csv"_s)
        return std::make_unique<CsvSampleSource>(std::move(file), displayName, spec.fields, spec.limit, ',',
            CsvSampleSource::Layout::Mmlu, CsvSampleSource::categoryFromFileName(path));
    return std::make_unique<CsvSampleSource>(std::move(file), displayName, spec.fields, spec.limit,
        format == u"tsv"_s ? '\t' : ',', CsvSampleSource::Layout::Header);
}

QStringList SampleSource::builtinNames()
{
    return PlanParser::builtinDatasetNames();
}

qint64 SampleSource::countSamples(const BenchmarkSpec& spec, QString* error)
{
    auto source = open(spec, error);
    if (!source)
        return -1;
    qint64 n = 0;
    Sample s;
    while (source->next(&s))
        ++n;
    return n;
}

} // namespace evs
