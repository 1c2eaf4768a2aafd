#pragma once

#include "app/simulator/simulatorfault.h"
#include "models/core/modelspec.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace evs {

// What the simulator provider tells the simulator about a sample: the request's top-level "sim" object.
struct SimulatorSample {
    QString expected; // empty: no sample, answer generic text
    QStringList choices;
    QString key; // stable per sample and repeat; the server substitutes a hash of the body when absent
};

// The simulator's deterministic decisions (answer, latency, faults), as pure functions of the seed, the
// sample key and, where a retry must draw afresh, the n-th time the key was seen. No I/O, no state.
class SimulatorBehaviour {
public:
    SimulatorBehaviour(const SimulatorSettings& settings, quint64 seed);

    const SimulatorSettings& settings() const { return m_settings; }
    quint64 seed() const { return m_seed; }

    // Decided by (seed, key) only, so that every attempt at a sample gets the same verdict.
    bool isCorrect(const QString& key) const;
    // The answer before padding: right when correct, else a plausible wrong one.
    QString naturalAnswer(const SimulatorSample& sample, bool correct) const;
    // The full answer text: natural answer, padded with filler words before it up to settings.outputTokens.
    QString answerText(const SimulatorSample& sample) const;

    // Log-normal with median latencyMs and p99 tailMs (no spread when tailMs <= latencyMs).
    double timeToFirstTokenMs(const QString& key, int occurrence) const;
    // One draw against the stacked fault probabilities; a retry (next occurrence) draws afresh.
    SimulatorFault fault(const QString& key, int occurrence) const;

    // Splits text into tokens: a word with its leading whitespace, or one punctuation mark. Concatenating the
    // tokens gives the text back. Returns the end offset of each token.
    static QList<qsizetype> tokenEnds(QStringView text);
    static QStringList tokenize(QStringView text);

    // Stable across platforms and Qt versions (unlike qHash), so runs reproduce anywhere.
    static quint64 hashKey(QStringView key);
    static quint64 hashBytes(QByteArrayView bytes);
    // Uniform in [0, 1) from (seed, key, n, salt).
    double uniform(QStringView key, quint64 n, quint64 salt) const;

private:
    QString wrongLetter(QChar correct, const SimulatorSample& sample) const;
    QString wrongNumber(const QString& expected, const QString& key) const;
    QString wrongText(const SimulatorSample& sample) const;
    quint64 draw(QStringView key, quint64 n, quint64 salt) const;

    SimulatorSettings m_settings;
    quint64 m_seed;
};

} // namespace evs
