#pragma once

#include "app/benchmarks/scorer.h"

#include <QJsonObject>

#include <optional>

namespace evs {

// 1 when the final number of the response is within tolerance of the target's number. tolerance (0, absolute)
// and relative_tolerance (0, a fraction of |target|): either one suffices. With both 0, numbers must be equal up
// to floating-point rounding (1e-9 relative).
class NumericScorer : public Scorer {
public:
    struct Extracted {
        double value = 0;
        QString text; // as written: "1,234.5", "$12", "42%", "1/2"
        QString how; // the rule that found it
    };

    explicit NumericScorer(const QJsonObject& options);
    ScoreResult score(const Sample& sample, const QString& response) const override;

    // The final answer of a worked response: after "####", in \boxed{}, after "the answer is", else the last
    // number. Accepts thousands separators, a sign (also "−"), currency signs, "%" (42% is 42), fractions
    // ("1/2" is 0.5), exponents, and a trailing full stop.
    static std::optional<Extracted> extract(const QString& text);

private:
    double m_tolerance = 0;
    double m_relativeTolerance = 0;
};

} // namespace evs
