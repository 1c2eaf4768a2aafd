#include <QCoreApplication>
#include <QTest>

namespace evs {
int runSampleSourceTests(int argc, char** argv);
int runPromptRendererTests(int argc, char** argv);
int runScorerTests(int argc, char** argv);
} // namespace evs

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    int failed = 0;
    failed += evs::runSampleSourceTests(argc, argv);
    failed += evs::runPromptRendererTests(argc, argv);
    failed += evs::runScorerTests(argc, argv);
    return failed == 0 ? 0 : 1;
}
