#include "app/benchmarks/samplesource.h"

#include "app/benchmarks/jsonlsamplesource.h"
#include "models/plan/planparser.h"

#include <QFile>
#include <QFileInfo>

using namespace Qt::StringLiterals;

namespace evs
{

void SampleSource::reportBad(const QString& where, const QString& reason)
{
    ++m_badRecords;
    if (m_reports.size() < 100)
        m_reports << where + u": "_s + reason;
}

std::unique_ptr<SampleSource> SampleSource::open(const BenchmarkSpec& spec, QString* error)
{
    QString ignored;
    if (!error)
        error = &ignored;
    static const QStringList later = { u"json"_s, u"csv"_s, u"tsv"_s };
    static const QStringList jsonlSuffixes = { u"jsonl"_s, u"ndjson"_s, u"jsonlines"_s };
    if (later.contains(spec.format)) {
        *error = u"dataset format \""_s + spec.format + u"\" is not supported yet: only \"jsonl\" (JSON Lines)"_s;
        return nullptr;
    }
    if (!spec.format.isEmpty() && spec.format != u"jsonl"_s) {
        *error = u"unknown dataset format \""_s + spec.format + u"\": only \"jsonl\" is supported"_s;
        return nullptr;
    }

    QString path = spec.dataset;
    QString displayName = spec.dataset;
    if (spec.dataset.startsWith(u"builtin:"_s)) {
        const QString name = spec.dataset.mid(8);
        if (!builtinNames().contains(name)) {
            *error = u"unknown builtin dataset \""_s + name + u"\"; builtins: "_s + builtinNames().join(u", "_s);
            return nullptr;
        }
        path = u":/benchmarks/"_s + name + u".jsonl"_s;
    } else if (spec.format.isEmpty() && !jsonlSuffixes.contains(QFileInfo(path).suffix().toLower())) {
        *error = spec.dataset
            + u": cannot tell the format from the file name; only JSON Lines (.jsonl, .ndjson) is read for now"_s;
        return nullptr;
    }

    auto file = std::make_unique<QFile>(path);
    if (!file->open(QIODevice::ReadOnly)) {
        *error = u"cannot open dataset "_s + displayName + u": "_s + file->errorString();
        return nullptr;
    }
    return std::make_unique<JsonlSampleSource>(std::move(file), displayName, spec.fields, spec.limit);
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
