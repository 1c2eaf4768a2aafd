#pragma once

#include <QString>
#include <QStringList>

namespace evs {

// The candidate a mistyped word most likely meant ("max_attempt" -> "max_attempts", "maxAttempts" ->
// "max_attempts"), or an empty string when none is close.
QString closestMatch(const QString& word, const QStringList& candidates);

// " (did you mean \"x\"?)" or empty: ready to append to a message.
QString didYouMean(const QString& word, const QStringList& candidates);

} // namespace evs
