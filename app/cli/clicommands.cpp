#include "app/cli/clicommands.h"

#include <QTextStream>

namespace evs::cli {

int run(const QStringList& arguments)
{
    QTextStream err(stderr);
    err << "evalsandbox-cli: not implemented yet (" << arguments.join(u' ') << ")\n";
    return 1;
}

} // namespace evs::cli
