#pragma once

#include "app/providers/openaiprovider.h"

namespace evs {

// The built-in simulated endpoint: an OpenAI chat request plus a top-level "sim" object carrying the sample's
// expected answer, choices and key, so that the simulator can answer any dataset (docs/architecture.md section 6).
class SimulatorProvider : public OpenAiProvider {
public:
    SimulatorProvider();
    QString name() const override;

protected:
    QJsonObject requestBody(const ModelSpec& model, const PromptRequest& prompt) const override;
};

} // namespace evs
