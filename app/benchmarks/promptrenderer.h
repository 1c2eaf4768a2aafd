#pragma once

#include "models/core/benchmarkspec.h"
#include "models/core/promptrequest.h"
#include "models/core/sample.h"

#include <QString>

namespace evs {

// Renders a sample into the messages sent to a model: system prompt, {{field}} template. Thread-safe after
// construction (render is const).
class PromptRenderer {
public:
    explicit PromptRenderer(const BenchmarkSpec& spec);
    bool isValid(QString* error) const; // template syntax errors name the position
    PromptRequest render(const Sample& sample) const;
};

} // namespace evs
