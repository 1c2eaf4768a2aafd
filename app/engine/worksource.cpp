#include "app/engine/worksource.h"

#include "app/benchmarks/samplesource.h"

namespace evs {

WorkSource::WorkSource(int modelIndex, QVector<BenchmarkSpec> benchmarks, std::unordered_set<quint64> alreadyStored)
    : m_modelIndex(modelIndex)
    , m_benchmarks(std::move(benchmarks))
    , m_alreadyStored(std::move(alreadyStored))
{
}

WorkSource::~WorkSource() = default;

bool WorkSource::openBenchmark(int index)
{
    if (m_source) {
        if (m_source->badRecords() > 0)
            m_badByBenchmark[m_benchmark] += m_source->badRecords();
        m_badRecords += m_source->badRecords();
        m_badReports += m_source->badRecordReports();
    }
    m_source.reset();
    m_benchmark = index;
    m_haveCurrent = false;
    m_taken = 0;
    if (index >= m_benchmarks.size())
        return false;
    QString error;
    m_source = SampleSource::open(m_benchmarks[index], &error);
    if (!m_source) {
        m_error = error;
        return false;
    }
    return true;
}

bool WorkSource::next(WorkItem* item)
{
    std::lock_guard lock(m_mutex);
    if (!m_error.isEmpty())
        return false;
    if (m_benchmark < 0 && !openBenchmark(0))
        return false;
    while (m_benchmark < m_benchmarks.size()) {
        const BenchmarkSpec& spec = m_benchmarks[m_benchmark];
        const int repeats = std::max(1, spec.repeats);
        if (m_haveCurrent && m_repeat < repeats) {
            const int repeat = m_repeat++;
            if (m_alreadyStored.count(workKey(m_benchmark, repeat, m_current.index)))
                continue;
            item->modelIndex = m_modelIndex;
            item->benchmarkIndex = m_benchmark;
            item->repeat = repeat;
            item->sample = m_current;
            return true;
        }
        const bool underLimit = spec.limit <= 0 || m_taken < spec.limit;
        if (underLimit && m_source && m_source->next(&m_current)) {
            m_haveCurrent = true;
            m_repeat = 0;
            ++m_taken;
            continue;
        }
        if (m_source && !m_source->error().isEmpty()) {
            m_error = m_source->error();
            return false;
        }
        if (!openBenchmark(m_benchmark + 1) && !m_error.isEmpty())
            return false;
    }
    return false;
}

QString WorkSource::error() const
{
    std::lock_guard lock(m_mutex);
    return m_error;
}

qint64 WorkSource::badRecords() const
{
    std::lock_guard lock(m_mutex);
    return m_badRecords + (m_source ? m_source->badRecords() : 0);
}

QMap<int, qint64> WorkSource::badRecordsByBenchmark() const
{
    std::lock_guard lock(m_mutex);
    QMap<int, qint64> out = m_badByBenchmark;
    if (m_source && m_source->badRecords() > 0)
        out[m_benchmark] += m_source->badRecords();
    return out;
}

QStringList WorkSource::badRecordReports() const
{
    std::lock_guard lock(m_mutex);
    return m_source ? m_badReports + m_source->badRecordReports() : m_badReports;
}

qint64 WorkSource::countWork(const BenchmarkSpec& spec, QString* error)
{
    auto source = SampleSource::open(spec, error);
    if (!source)
        return -1;
    Sample s;
    qint64 n = 0;
    while ((spec.limit <= 0 || n < spec.limit) && source->next(&s))
        ++n;
    if (!source->error().isEmpty()) {
        if (error)
            *error = source->error();
        return -1;
    }
    return n * std::max(1, spec.repeats);
}

} // namespace evs
