#include "ui/datasetscan.h"

#include "app/benchmarks/bytestream.h"
#include "app/benchmarks/csvsamplesource.h"
#include "app/benchmarks/recordmapper.h"
#include "app/benchmarks/samplesource.h"

#include <QFile>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace evs {

namespace {

void addKeys(const QJsonObject& record, QStringList* keys)
{
    for (auto it = record.begin(); it != record.end(); ++it) {
        if (!keys->contains(it.key()))
            keys->append(it.key());
    }
}

} // namespace

QStringList DatasetScan::rawKeys(const QString& path, const QString& format)
{
    QStringList keys;
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return keys;
    if (format == u"jsonl"_s) {
        for (int i = 0; i < kPreviewRows && !f.atEnd(); ++i) {
            const QJsonDocument doc = QJsonDocument::fromJson(f.readLine(1024 * 1024));
            if (doc.isObject())
                addKeys(doc.object(), &keys);
        }
    } else if (format == u"csv"_s || format == u"tsv"_s) {
        ByteStream in(&f);
        in.skipBom();
        QByteArrayList row;
        qint64 line = 0;
        QString reason;
        if (CsvSampleSource::readRow(in, format == u"tsv"_s ? '\t' : ',', &row, &line, &reason)
            == CsvSampleSource::Row::Ok) {
            for (const QByteArray& name : std::as_const(row))
                keys << QString::fromUtf8(name);
        }
    }
    return keys;
}

void DatasetScan::run(QPromise<DatasetScan>& promise, const BenchmarkSpec& spec, quint64 generation)
{
    DatasetScan scan;
    scan.generation = generation;
    QString error;
    scan.format = SampleSource::resolveFormat(spec, &scan.formatHow, &error);
    auto source = scan.format.isEmpty() ? nullptr : SampleSource::open(spec, &error);
    if (!source) {
        scan.error = error;
        promise.addResult(scan);
        return;
    }
    promise.setProgressRange(0, 0);
    const RecordMapper mapper(spec.fields);
    Sample sample;
    while (source->next(&sample)) {
        if (promise.isCanceled())
            return;
        if (scan.preview.size() < kPreviewRows) {
            if (scan.preview.isEmpty())
                scan.detected = mapper.describe(sample.record);
            addKeys(sample.record, &scan.keys);
            scan.preview << sample;
        }
        ++scan.goodRecords;
        const qint64 read = scan.goodRecords + source->badRecords();
        if (read % 4096 == 0) // throttled at the source: a label changes, not every record
            promise.setProgressValueAndText(int(std::min<qint64>(read, INT_MAX)), QString());
    }
    if (!source->error().isEmpty())
        scan.error = source->error();
    scan.badRecords = source->badRecords();
    scan.badReports = source->badRecordReports();
    if (scan.keys.isEmpty()) {
        QString ignored;
        scan.keys = rawKeys(SampleSource::datasetPath(spec.dataset, &ignored), scan.format);
    }
    promise.addResult(scan);
}

} // namespace evs
