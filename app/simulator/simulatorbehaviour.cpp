#include "app/simulator/simulatorbehaviour.h"

#include <QRegularExpression>

#include <algorithm>
#include <cmath>
#include <numbers>

using namespace Qt::StringLiterals;

namespace evs {

namespace {

// Salts keep the draws for different decisions independent of each other.
constexpr quint64 kSaltCorrect = 0x636f7272656374ULL;
constexpr quint64 kSaltTtftA = 0x747466742d61ULL;
constexpr quint64 kSaltTtftB = 0x747466742d62ULL;
constexpr quint64 kSaltFault = 0x6661756c74ULL;
constexpr quint64 kSaltWrong = 0x77726f6e67ULL;

// The normal quantile of p99: tailMs = median * exp(2.326 * sigma).
constexpr double kZ99 = 2.326;

quint64 splitMix64(quint64 x)
{
    x += 0x9E3779B97F4A7C15ULL;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
    return x ^ (x >> 31);
}

const QStringList& fillerWords()
{
    static const QStringList words = u"let me think about this carefully and consider each part of the question "
                                     "step by step before giving a final answer so"_s.split(u' ');
    return words;
}

// Plausible stand-ins for a wrong free-text answer.
const QStringList& wrongWords()
{
    static const QStringList words
        = u"Lyon blue seven carbon Jupiter triangle winter copper Madrid oxygen "
          "Mercury granite autumn Vienna silver hexagon Kyoto neon maple bronze"_s.split(u' ');
    return words;
}

// "B", "b", "(B)", "B)" or "B." name a choice letter.
QChar choiceLetter(const QString& expected)
{
    QStringView s = QStringView(expected).trimmed();
    if (s.startsWith(u'(') && s.endsWith(u')'))
        s = s.mid(1, s.size() - 2);
    else if (s.endsWith(u')') || s.endsWith(u'.'))
        s.chop(1);
    if (s.size() != 1)
        return {};
    const QChar c = s.front().toUpper();
    return (c >= u'A' && c <= u'Z') ? c : QChar();
}

bool isNumber(const QString& text)
{
    static const QRegularExpression re(u"^[-+]?\\d{1,15}(\\.\\d{1,6})?$"_s);
    return re.match(QString(text).remove(u',')).hasMatch();
}

QString sentenceFor(const QString& answer)
{
    return u"The answer is "_s + answer + u'.';
}

bool containsEither(const QString& a, const QString& b)
{
    return a.contains(b, Qt::CaseInsensitive) || b.contains(a, Qt::CaseInsensitive);
}

} // namespace

SimulatorBehaviour::SimulatorBehaviour(const SimulatorSettings& settings, quint64 seed)
    : m_settings(settings)
    , m_seed(seed)
{
}

quint64 SimulatorBehaviour::hashKey(QStringView key)
{
    quint64 h = 0xcbf29ce484222325ULL; // FNV-1a over UTF-16 code units
    for (QChar c : key) {
        h ^= c.unicode();
        h *= 0x100000001b3ULL;
    }
    return h;
}

quint64 SimulatorBehaviour::hashBytes(QByteArrayView bytes)
{
    quint64 h = 0xcbf29ce484222325ULL;
    for (char c : bytes) {
        h ^= static_cast<unsigned char>(c);
        h *= 0x100000001b3ULL;
    }
    return h;
}

quint64 SimulatorBehaviour::draw(QStringView key, quint64 n, quint64 salt) const
{
    return splitMix64(splitMix64(splitMix64(hashKey(key) ^ m_seed) ^ n) ^ salt);
}

double SimulatorBehaviour::uniform(QStringView key, quint64 n, quint64 salt) const
{
    return static_cast<double>(draw(key, n, salt) >> 11) * 0x1.0p-53;
}

bool SimulatorBehaviour::isCorrect(const QString& key) const
{
    return uniform(key, 0, kSaltCorrect) < m_settings.accuracy;
}

double SimulatorBehaviour::timeToFirstTokenMs(const QString& key, int occurrence) const
{
    const double median = m_settings.latencyMs;
    if (!(median > 0))
        return 0;
    const double sigma = m_settings.tailMs > median ? std::log(m_settings.tailMs / median) / kZ99 : 0.0;
    if (sigma == 0)
        return median;
    // Box-Muller; u1 is kept off zero so the log stays finite.
    const double u1 = (static_cast<double>(draw(key, occurrence, kSaltTtftA) >> 11) + 0.5) * 0x1.0p-53;
    const double u2 = uniform(key, occurrence, kSaltTtftB);
    const double z = std::clamp(std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2), -6.0, 6.0);
    return median * std::exp(sigma * z);
}

SimulatorFault SimulatorBehaviour::fault(const QString& key, int occurrence) const
{
    if (m_settings.faults.isEmpty())
        return SimulatorFault::None;
    const double u = uniform(key, occurrence, kSaltFault);
    double cumulative = 0;
    for (SimulatorFault fault : kSimulatorFaults) {
        cumulative += std::clamp(m_settings.faults.value(simulatorFaultName(fault), 0.0), 0.0, 1.0);
        if (u < cumulative)
            return fault;
    }
    return SimulatorFault::None;
}

QString SimulatorBehaviour::naturalAnswer(const SimulatorSample& sample, bool correct) const
{
    const QString expected = sample.expected.trimmed();
    if (expected.isEmpty())
        return u"This is a simulated answer."_s;

    const QChar letter = sample.choices.isEmpty() ? QChar() : choiceLetter(expected);
    if (!letter.isNull())
        return sentenceFor(correct ? QString(letter) : wrongLetter(letter, sample));

    // Free-form targets (numbers included) are answered bare, as a model told to "answer with the number only"
    // does, so that exact-match benchmarks can be served too.
    const bool number = isNumber(expected);
    const auto render = [](const QString& answer) { return answer; };
    if (correct)
        return render(expected);

    // The expected text is one of the choices: a wrong answer is another choice.
    const qsizetype index = sample.choices.indexOf(expected, 0);
    if (index >= 0 && sample.choices.size() > 1) {
        const qsizetype n = sample.choices.size();
        const qsizetype offset = 1 + static_cast<qsizetype>(draw(sample.key, 0, kSaltWrong) % quint64(n - 1));
        const QString other = sample.choices.at((index + offset) % n).trimmed();
        if (other.compare(expected, Qt::CaseInsensitive) != 0)
            return render(other);
    }
    if (number)
        return wrongNumber(expected, sample.key);
    return wrongText(sample);
}

QString SimulatorBehaviour::wrongLetter(QChar correct, const SimulatorSample& sample) const
{
    const int correctIndex = correct.unicode() - u'A';
    const int n = std::max({ int(sample.choices.size()), correctIndex + 1, 2 });
    const int offset = 1 + int(draw(sample.key, 0, kSaltWrong) % quint64(n - 1));
    return QString(QChar(u'A' + (correctIndex + offset) % n));
}

QString SimulatorBehaviour::wrongNumber(const QString& expected, const QString& key) const
{
    const QString plain = QString(expected).remove(u',');
    const qsizetype dot = plain.indexOf(u'.');
    const int decimals = dot < 0 ? 0 : int(plain.size() - dot - 1);
    const double scale = std::pow(10.0, decimals);
    // Work in units of the last decimal place so the wrong answer looks like the right one.
    const qint64 units = std::llround(plain.toDouble() * scale);
    const quint64 h = draw(key, 0, kSaltWrong);
    const qint64 range = std::max<qint64>(1, std::llabs(units) / 5);
    const qint64 delta = 1 + qint64((h >> 1) % quint64(range));
    qint64 wrong = (h & 1) ? units + delta : units - delta;
    if (units >= 0 && wrong < 0)
        wrong = units + delta;
    return QString::number(double(wrong) / scale, 'f', decimals);
}

QString SimulatorBehaviour::wrongText(const SimulatorSample& sample) const
{
    const QString expected = sample.expected.trimmed();
    // Replace the last word, so that the answer keeps the expected one's shape but is no longer right.
    static const QRegularExpression lastWord(u"(\\w+)(\\W*)$"_s, QRegularExpression::UseUnicodePropertiesOption);
    const QRegularExpressionMatch match = lastWord.match(expected);
    const QStringList& words = wrongWords();
    const quint64 h = draw(sample.key, 0, kSaltWrong);
    for (qsizetype i = 0; i < words.size(); ++i) {
        const QString& word = words.at((h + quint64(i)) % quint64(words.size()));
        QString candidate;
        if (match.hasMatch()) {
            if (containsEither(word, match.captured(1)))
                continue;
            candidate = expected.left(match.capturedStart(1)) + word + match.captured(2);
        } else {
            candidate = word;
        }
        if (!candidate.contains(expected, Qt::CaseInsensitive))
            return candidate;
    }
    return u"I am not sure."_s;
}

QString SimulatorBehaviour::answerText(const SimulatorSample& sample) const
{
    const bool correct = sample.expected.trimmed().isEmpty() || isCorrect(sample.key);
    const QString answer = naturalAnswer(sample, correct);
    const int natural = int(tokenEnds(answer).size());
    if (m_settings.outputTokens <= natural)
        return answer;

    // Filler words are one token each; the answer keeps its count with a leading space.
    const int fillerCount = m_settings.outputTokens - natural;
    const QStringList& words = fillerWords();
    QString text;
    text.reserve(fillerCount * 8 + answer.size() + 1);
    for (int i = 0; i < fillerCount; ++i) {
        const QString& word = words.at(i % words.size());
        if (i == 0) {
            text += word.at(0).toUpper();
            text += QStringView(word).mid(1);
        } else {
            text += u' ';
            text += word;
        }
    }
    text += u' ';
    text += answer;
    return text;
}

QList<qsizetype> SimulatorBehaviour::tokenEnds(QStringView text)
{
    QList<qsizetype> ends;
    const qsizetype size = text.size();
    qsizetype i = 0;
    while (i < size) {
        while (i < size && text.at(i).isSpace())
            ++i;
        if (i == size) {
            // Trailing whitespace joins the last token.
            if (ends.isEmpty())
                ends.append(size);
            else
                ends.last() = size;
            break;
        }
        if (text.at(i).isLetterOrNumber()) {
            while (i < size && text.at(i).isLetterOrNumber())
                ++i;
        } else {
            i += (text.at(i).isHighSurrogate() && i + 1 < size) ? 2 : 1;
        }
        ends.append(i);
    }
    return ends;
}

QStringList SimulatorBehaviour::tokenize(QStringView text)
{
    QStringList tokens;
    qsizetype start = 0;
    for (qsizetype end : tokenEnds(text)) {
        tokens.append(text.mid(start, end - start).toString());
        start = end;
    }
    return tokens;
}

} // namespace evs
