#include "app/benchmarks/multiplechoicescorer.h"

#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace evs {

namespace {

QChar lastLetter(const QStringList& choices)
{
    if (choices.isEmpty())
        return u'J';
    return QChar(u'A' + int(std::min<qsizetype>(choices.size(), 26)) - 1);
}

bool inRange(QChar c, QChar last)
{
    return c >= u'A' && c <= last;
}

QString folded(const QString& s)
{
    QString t = s.toCaseFolded().simplified();
    while (!t.isEmpty() && (t.back().isPunct() || t.back().isSpace()) && t.back() != u')')
        t.chop(1);
    return t;
}

bool isWordChar(QChar c)
{
    return c.isLetterOrNumber();
}

// Index of the last occurrence of needle in hay as a whole word, or -1.
qsizetype lastWholeWord(const QString& hay, const QString& needle)
{
    if (needle.isEmpty())
        return -1;
    for (qsizetype at = hay.lastIndexOf(needle); at >= 0; at = at == 0 ? -1 : hay.lastIndexOf(needle, at - 1)) {
        const bool startOk = at == 0 || !isWordChar(hay[at - 1]) || !isWordChar(needle.front());
        const qsizetype end = at + needle.size();
        const bool endOk = end >= hay.size() || !isWordChar(hay[end]) || !isWordChar(needle.back());
        if (startOk && endOk)
            return at;
    }
    return -1;
}

const QRegularExpression& answerLead()
{
    static const QRegularExpression re(
        u"(?:\\bfinal\\s+answer|\\bcorrect\\s+answer|\\bright\\s+answer|\\bbest\\s+answer|\\banswer"
        "|\\bcorrect\\s+(?:option|choice|letter)|\\bright\\s+(?:option|choice)|\\bbest\\s+(?:option|choice)"
        "|\\bi\\s+(?:would\\s+|will\\s+|'d\\s+|’d\\s+)?(?:choose|pick|select|go\\s+with)"
        "|\\bi\\s+(?:think|believe|guess|reckon)(?:\\s+(?:that\\s+)?(?:it['’]?s|it\\s+is|it\\s+must\\s+be))?)"
        "(?:\\s*(?:is|was|would\\s+be|should\\s+be|will\\s+be|must\\s+be|=|:|-|–))?"
        "(?:\\s*(?:option|choice|letter))?\\s*[:\\-]?\\s*"_s,
        QRegularExpression::CaseInsensitiveOption);
    return re;
}

const QRegularExpression& rejected()
{
    static const QRegularExpression re(
        u"\\G\\s*(?:is|was|seems|looks)\\s+(?:wrong|incorrect|not|false|unlikely|out|implausible|a\\s+distractor)\\b"_s,
        QRegularExpression::CaseInsensitiveOption);
    return re;
}

const QRegularExpression& judgedCorrect()
{
    static const QRegularExpression re(
        u"(?<![A-Za-z0-9'’])(?:(?:option|choice)\\s+)?(?:\\*\\*|\\(|\\[)?([A-Z])(?:\\*\\*|\\)|\\])?\\s+"
        "(?:is|must\\s+be|seems|looks)\\s+(?:the\\s+)?(?:most\\s+)?(?:correct|right|best|true|accurate)\\b"_s);
    return re;
}

const QRegularExpression& concluded()
{
    static const QRegularExpression re(
        u"\\b(?:[Ss]o|[Tt]herefore|[Tt]hus|[Hh]ence|[Cc]onclusion|[Ii]n\\s+conclusion)\\s*[,:]?\\s*"
        "(?:it['’]?s\\s+|it\\s+is\\s+)?(?:(?:option|choice)\\s+)?(?:\\*\\*|\\(|\\[)?([A-Z])(?:\\*\\*|\\)|\\])?"
        "(?=\\s*(?:[.!;]|$))"_s);
    return re;
}

struct Found {
    QChar letter;
    qsizetype position = -1;
};

// Tier 1: "answer is B", "Answer: (c)", "I'd go with D", "\boxed{A}": the last one wins.
Found explicitStatement(const QString& text, QChar last)
{
    static const QRegularExpression token(u"\\G(\\*\\*|\\(|\\[)?\\s*([A-Za-z])\\s*(\\*\\*|\\)|\\])?"_s);
    static const QRegularExpression boxed(u"\\\\boxed\\{\\s*(?:\\\\text\\{)?\\s*([A-Za-z])\\s*\\}"_s);
    Found best;
    for (auto it = answerLead().globalMatch(text); it.hasNext();) {
        const auto lead = it.next();
        const auto t = token.match(text, lead.capturedEnd());
        if (!t.hasMatch())
            continue;
        const QChar raw = t.captured(2).front();
        const QChar letter = raw.toUpper();
        const qsizetype end = t.capturedEnd();
        const QChar next = end < text.size() ? text[end] : QChar();
        const bool bracketed = t.capturedLength(1) > 0 || t.capturedLength(3) > 0;
        if (!inRange(letter, last) || (!bracketed && next.isLetterOrNumber()))
            continue;
        // "I think B is wrong" names a letter without choosing it.
        if (rejected().match(text, end).hasMatch())
            continue;
        // A bare lower-case "a" is usually the article ("the answer is a bit subtle").
        if (raw == u'a' && !bracketed && !next.isNull() && !u".,;:!)"_s.contains(next))
            continue;
        best = { letter, lead.capturedStart() };
    }
    // "C is correct", "Option (B) is the right answer", and a conclusion "So, B." / "Therefore (D)".
    for (const QRegularExpression* re : { &judgedCorrect(), &concluded() }) {
        for (auto it = re->globalMatch(text); it.hasNext();) {
            const auto m = it.next();
            const QChar letter = m.captured(1).front().toUpper();
            if (inRange(letter, last) && m.capturedStart() > best.position)
                best = { letter, m.capturedStart() };
        }
    }
    for (auto it = boxed.globalMatch(text); it.hasNext();) {
        const auto m = it.next();
        const QChar letter = m.captured(1).front().toUpper();
        if (inRange(letter, last) && m.capturedStart() > best.position)
            best = { letter, m.capturedStart() };
    }
    return best;
}

// Tier 2 and 3: the response is a letter, or starts with one ("B. Paris", "(C) because").
QChar bareOrLeadingLetter(const QString& text, QChar last, QString* how)
{
    static const QRegularExpression bare(u"^[\\s*(\\[{\"'`]*([A-Za-z])[\\s*)\\]}\"'`.:,!]*$"_s);
    static const QRegularExpression bracketedStart(u"^\\s*(?:\\*\\*)?[(\\[]([A-Za-z])[)\\]]"_s);
    static const QRegularExpression plainStart(u"^\\s*(?:\\*\\*)?([A-Z])(?:\\*\\*)?\\s*(?:[.:)\\-–—]|$)"_s);
    if (const auto m = bare.match(text); m.hasMatch() && inRange(m.captured(1).front().toUpper(), last)) {
        *how = u"the response is a letter"_s;
        return m.captured(1).front().toUpper();
    }
    for (const QRegularExpression* re : { &bracketedStart, &plainStart }) {
        if (const auto m = re->match(text); m.hasMatch() && inRange(m.captured(1).front().toUpper(), last)) {
            *how = u"the response starts with a letter"_s;
            return m.captured(1).front().toUpper();
        }
    }
    return {};
}

// Which choice's text the given text starts with (longest wins), or null.
QChar choiceAtStart(const QString& text, const QStringList& choices)
{
    const QString t = folded(text);
    QChar best;
    qsizetype bestLength = 0;
    for (qsizetype i = 0; i < choices.size() && i < 26; ++i) {
        const QString c = folded(choices[i]);
        if (!c.isEmpty() && t.startsWith(c) && c.size() > bestLength
            && (t.size() == c.size() || !isWordChar(t[c.size()]) || !isWordChar(c.back()))) {
            best = QChar(u'A' + int(i));
            bestLength = c.size();
        }
    }
    return best;
}

// The only choice whose text the text mentions, or null when none or several.
QChar onlyChoiceMentioned(const QString& text, const QStringList& choices, int* mentioned)
{
    const QString t = text.toCaseFolded();
    QChar found;
    *mentioned = 0;
    for (qsizetype i = 0; i < choices.size() && i < 26; ++i) {
        const QString c = folded(choices[i]);
        const qsizetype at = lastWholeWord(t, c);
        if (at < 0)
            continue;
        static const QRegularExpression negation(
            u"(?:\\bnot|n['’]t|\\brather\\s+than|\\binstead\\s+of|\\bunlike|\\bnor)\\s+(?:the\\s+|option\\s+)?$"_s);
        if (negation.match(t.left(at)).hasMatch())
            continue;
        // A choice contained in a longer mentioned choice ("blood cells" in "red blood cells") is not extra.
        bool inLonger = false;
        for (qsizetype j = 0; j < choices.size(); ++j) {
            const QString other = folded(choices[j]);
            if (j != i && other.size() > c.size() && other.contains(c) && lastWholeWord(t, other) >= 0)
                inLonger = true;
        }
        if (inLonger)
            continue;
        ++*mentioned;
        found = QChar(u'A' + int(i));
    }
    return *mentioned == 1 ? found : QChar();
}

// Tier 5: a letter standing alone anywhere ("I think B fits"); "A" and "I" only when marked as letters.
QChar isolatedLetter(const QString& text, QChar last)
{
    static const QRegularExpression re(u"(?<![A-Za-z0-9'’])([(\\[]|\\*\\*)?([A-Z])([)\\]]|\\*\\*)?(?![A-Za-z0-9'’])"_s);
    QChar found;
    for (auto it = re.globalMatch(text); it.hasNext();) {
        const auto m = it.next();
        const QChar letter = m.captured(2).front();
        const bool marked = m.capturedLength(1) > 0 || m.capturedLength(3) > 0;
        const qsizetype end = m.capturedEnd();
        const QChar next = end < text.size() ? text[end] : QChar();
        if (!inRange(letter, last))
            continue;
        if ((letter == u'A' || letter == u'I') && !marked && (next.isNull() || !u".:)"_s.contains(next)))
            continue;
        found = letter;
    }
    return found;
}

QString describe(QChar letter, const QStringList& choices)
{
    const int i = letter.unicode() - u'A';
    return i >= 0 && i < choices.size() ? QString(letter) + u" (\""_s + choices[i] + u"\")"_s : QString(letter);
}

} // namespace

QChar MultipleChoiceScorer::extractLetter(const QString& response, const QStringList& choices, QString* how)
{
    static const QRegularExpression thinking(
        u"<think(?:ing)?>.*?</think(?:ing)?>"_s, QRegularExpression::DotMatchesEverythingOption);
    QString ignored;
    if (!how)
        how = &ignored;
    QString text = response;
    text.remove(thinking);
    const QChar last = lastLetter(choices);

    if (const Found f = explicitStatement(text, last); !f.letter.isNull()) {
        *how = u"stated as the answer"_s;
        return f.letter;
    }
    if (const QChar c = bareOrLeadingLetter(text, last, how); !c.isNull())
        return c;
    if (choices.isEmpty())
        return {};

    // The text of a choice: the whole response, or what follows the last "the answer is".
    if (const QChar c = choiceAtStart(text, choices);
        !c.isNull() && folded(text).size() <= folded(choices[c.unicode() - u'A']).size() + 1) {
        *how = u"the response is the text of a choice"_s;
        return c;
    }
    qsizetype tail = -1;
    for (auto it = answerLead().globalMatch(text); it.hasNext();)
        tail = it.next().capturedEnd();
    if (tail >= 0) {
        if (const QChar c = choiceAtStart(text.mid(tail), choices); !c.isNull()) {
            *how = u"the text of a choice stated as the answer"_s;
            return c;
        }
    }
    if (const QChar c = isolatedLetter(text, last); !c.isNull()) {
        *how = u"a letter standing alone"_s;
        return c;
    }
    int mentioned = 0;
    if (const QChar c = onlyChoiceMentioned(text, choices, &mentioned); !c.isNull()) {
        *how = u"the only choice the response mentions"_s;
        return c;
    }
    if (mentioned > 1) {
        // Several choices named ("Sydney is bigger, but the capital is Canberra"): the conclusion counts, so
        // trust the last clause that names exactly one choice, not counting negated ones ("not Sydney").
        static const QRegularExpression clauseBreak(
            u"[.!?;\\n]+\\s|\\n|,?\\s+(?:but|however|whereas|although|though|so|therefore|thus|hence|"
            "which\\s+means|meaning)\\b|,\\s+(?=it['’]?s\\b|it\\s+is\\b|the\\s+answer\\b)"_s,
            QRegularExpression::CaseInsensitiveOption);
        const QStringList clauses = text.split(clauseBreak, Qt::SkipEmptyParts);
        for (auto clause = clauses.crbegin(); clause != clauses.crend(); ++clause) {
            if (const QChar c = onlyChoiceMentioned(*clause, choices, &mentioned); !c.isNull()) {
                *how = u"the only choice named in the concluding clause"_s;
                return c;
            }
        }
    }
    return {};
}

QChar MultipleChoiceScorer::targetLetter(const QString& target, const QStringList& choices)
{
    static const QRegularExpression letter(u"^[\\s(\\[]*([A-Za-z])[\\s)\\].]*$"_s);
    const QChar last = choices.isEmpty() ? QChar(u'Z') : lastLetter(choices);
    if (const auto m = letter.match(target); m.hasMatch() && inRange(m.captured(1).front().toUpper(), last))
        return m.captured(1).front().toUpper();
    const QString t = folded(target);
    for (qsizetype i = 0; i < choices.size() && i < 26; ++i) {
        if (folded(choices[i]) == t)
            return QChar(u'A' + int(i));
    }
    return {};
}

ScoreResult MultipleChoiceScorer::score(const Sample& sample, const QString& response) const
{
    ScoreResult r;
    const QChar expected = targetLetter(sample.target, sample.choices);
    if (expected.isNull()) {
        r.error = true;
        r.explanation = u"multiple_choice: the target \""_s + sample.target
            + u"\" is neither an option letter nor the text of a choice"_s;
        return r;
    }
    QString how;
    const QChar chosen = extractLetter(response, sample.choices, &how);
    if (chosen.isNull()) {
        r.score = 0;
        r.explanation
            = u"multiple_choice: no answer found in the response; expected "_s + describe(expected, sample.choices);
        return r;
    }
    const bool right = chosen == expected;
    r.score = right ? 1.0 : 0.0;
    r.explanation = u"multiple_choice: chose "_s + describe(chosen, sample.choices) + u" ("_s + how + u"), expected "_s
        + describe(expected, sample.choices) + (right ? u": correct"_s : u": wrong"_s);
    return r;
}

} // namespace evs
