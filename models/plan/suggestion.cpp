#include "models/plan/suggestion.h"

#include <QVector>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace evs {

namespace {

QString folded(const QString& s)
{
    QString out;
    for (const QChar c : s) {
        if (c != u'_' && c != u'-' && c != u' ')
            out += c.toLower();
    }
    return out;
}

int editDistance(const QString& a, const QString& b)
{
    QVector<int> row(b.size() + 1);
    for (int j = 0; j <= b.size(); ++j)
        row[j] = j;
    for (int i = 1; i <= a.size(); ++i) {
        int diagonal = row[0];
        row[0] = i;
        for (int j = 1; j <= b.size(); ++j) {
            const int above = row[j];
            row[j] = std::min({ row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1) });
            diagonal = above;
        }
    }
    return row[b.size()];
}

} // namespace

QString closestMatch(const QString& word, const QStringList& candidates)
{
    const QString w = folded(word);
    QString best;
    int bestDistance = std::numeric_limits<int>::max();
    for (const QString& c : candidates) {
        const QString f = folded(c);
        if (f == w)
            return c; // differs only in case or separators
        if (w.size() >= 4 && f.startsWith(w))
            return c; // a truncated name: "exact" for "exact_match"
        const int d = editDistance(w, f);
        if (d < bestDistance) {
            bestDistance = d;
            best = c;
        }
    }
    // Close enough: a couple of typos, fewer for short words.
    const int allowed = std::max(1, std::min(3, int(w.size()) / 3));
    return bestDistance <= allowed ? best : QString();
}

QString didYouMean(const QString& word, const QStringList& candidates)
{
    const QString m = closestMatch(word, candidates);
    return m.isEmpty() ? QString() : u" (did you mean \""_s + m + u"\"?)"_s;
}

} // namespace evs
