#pragma once

#include <QStringList>

namespace evs::cli {

// Runs `evalsandbox-cli ARGS...` and returns its exit status (docs/architecture.md section 11).
int run(const QStringList& arguments);

} // namespace evs::cli
