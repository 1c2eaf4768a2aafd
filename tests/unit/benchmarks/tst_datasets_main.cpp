#include <QCoreApplication>
#include <QTest>

namespace evs {
int runDatasetReaderTests(int argc, char** argv);
int runTemplateTests(int argc, char** argv);
} // namespace evs

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    int failed = 0;
    failed += evs::runDatasetReaderTests(argc, argv);
    failed += evs::runTemplateTests(argc, argv);
    return failed == 0 ? 0 : 1;
}
