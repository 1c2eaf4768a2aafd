#pragma once

#include "app/benchmarks/scorer.h"

#include <QChar>
#include <QStringList>

namespace evs {

// 1 when the option the response chose is the target's, else 0 ("no answer found" scores 0 too).
// Finds the choice robustly: "B", "(B)", "**B**", "B.", "The answer is B.", "Answer: b", "\boxed{C}", the text
// of a choice instead of its letter; when the response states several answers, the last statement wins.
class MultipleChoiceScorer : public Scorer {
public:
    ScoreResult score(const Sample& sample, const QString& response) const override;

    // The letter the response chose (upper case), or a null QChar; how names the rule that found it.
    static QChar extractLetter(const QString& response, const QStringList& choices, QString* how = nullptr);
    // A target given as a letter ("b", "(B)") or as the text of a choice; null when it is neither.
    static QChar targetLetter(const QString& target, const QStringList& choices);
};

} // namespace evs
