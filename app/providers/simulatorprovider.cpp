#include "app/providers/simulatorprovider.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace evs {

SimulatorProvider::SimulatorProvider()
    : OpenAiProvider(Api::Chat)
{
}

QString SimulatorProvider::name() const
{
    return u"simulator"_s;
}

QJsonObject SimulatorProvider::requestBody(const ModelSpec& model, const PromptRequest& prompt) const
{
    QJsonObject body = OpenAiProvider::requestBody(model, prompt);
    body.insert("sim"_L1,
        QJsonObject { { "expected"_L1, prompt.expected }, { "choices"_L1, QJsonArray::fromStringList(prompt.choices) },
            { "key"_L1, prompt.sampleKey } });
    return body;
}

} // namespace evs
