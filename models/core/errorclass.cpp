#include "models/core/errorclass.h"

#include <array>

namespace evs {

namespace {
constexpr std::array<const char16_t*, size_t(ErrorClass::Count)> kNames = {
    u"",
    u"timeout",
    u"connect",
    u"tls",
    u"http_4xx",
    u"http_429",
    u"http_5xx",
    u"parse",
    u"canceled",
};
} // namespace

QString errorClassName(ErrorClass c)
{
    const auto i = size_t(c);
    return i < kNames.size() ? QString::fromUtf16(kNames[i]) : QString();
}

ErrorClass errorClassFromName(QStringView name)
{
    for (size_t i = 1; i < kNames.size(); ++i) {
        if (name == QStringView(kNames[i]))
            return ErrorClass(i);
    }
    return ErrorClass::None;
}

ErrorClass errorClassForHttpStatus(int status)
{
    if (status == 429)
        return ErrorClass::Http429;
    if (status >= 500)
        return ErrorClass::Http5xx;
    if (status >= 400)
        return ErrorClass::Http4xx;
    return ErrorClass::None;
}

} // namespace evs
