// `evalsandbox-cli report RUN --format F -o FILE [--db FILE]`: a report of one stored run (docs/reports.md).
#include "app/cli/commands.h"
#include "app/reports/reportwriter.h"
#include "models/store/resultsstore.h"

#include <QCommandLineParser>
#include <QFile>
#include <QTextStream>

using namespace Qt::StringLiterals;

namespace evs::cli {

int cmdReport(const QStringList& args)
{
    QCommandLineParser p;
    p.setApplicationDescription(u"evalsandbox-cli report: write a report of a stored run"_s);
    p.addHelpOption();
    p.addOption({ u"db"_s, u"Results store (SQLite file)."_s, u"FILE"_s });
    p.addOption({ { u"f"_s, u"format"_s },
        u"html, pdf, csv, json, jsonl, md, junit or prom (default: from the output file's suffix)."_s, u"F"_s });
    p.addOption({ { u"o"_s, u"output"_s }, u"Output file; - writes to stdout (not for pdf)."_s, u"FILE"_s });
    p.addPositionalArgument(u"run"_s, u"The run id (see `runs`)."_s);
    if (!p.parse(QStringList { u"evalsandbox-cli"_s } + args))
        return fail(2, u"report: "_s + p.errorText());
    if (p.isSet(u"help"_s)) {
        QTextStream(stdout) << p.helpText();
        return 0;
    }
    bool ok = false;
    const qint64 runId = p.positionalArguments().value(0).toLongLong(&ok);
    if (p.positionalArguments().size() != 1 || !ok)
        return fail(2, u"report: expected one run id (evalsandbox-cli report RUN --format F -o FILE)"_s);
    const QString output = p.value(u"output"_s);
    if (output.isEmpty())
        return fail(2, u"report: -o FILE is required (- for stdout)"_s);
    std::optional<ReportFormat> format;
    if (p.isSet(u"format"_s)) {
        format = reportFormatFromName(p.value(u"format"_s));
        if (!format)
            return fail(2,
                u"report: unknown format '%1' (one of %2)"_s.arg(
                    p.value(u"format"_s), reportFormatNames().join(u", "_s)));
    } else {
        format = reportFormatFromPath(output);
        if (!format)
            return fail(2,
                u"report: give --format (%1); '%2' has no known suffix"_s.arg(
                    reportFormatNames().join(u", "_s), output));
    }
    if (output == u"-"_s && *format == ReportFormat::Pdf)
        return fail(2, u"report: a PDF needs an output file"_s);

    const QString db = p.isSet(u"db"_s) ? p.value(u"db"_s) : ResultsStore::defaultPath();
    if (!QFile::exists(db))
        return fail(1, u"no results store at %1"_s.arg(db));
    ResultsStore store;
    QString error;
    if (!store.open(db, &error))
        return fail(1, error);
    if (!store.run(runId))
        return fail(2, u"report: no run %1 in %2 (see evalsandbox-cli runs)"_s.arg(runId).arg(db));
    if (output == u"-"_s) {
        QFile out;
        if (!out.open(stdout, QIODevice::WriteOnly) || !ReportWriter::write(store, runId, *format, out, &error))
            return fail(1, u"report: "_s + error);
        return 0;
    }
    if (!ReportWriter::write(store, runId, *format, output, &error))
        return fail(1, u"report: "_s + error);
    QTextStream(stderr) << "evalsandbox-cli: wrote " << reportFormatName(*format) << " report of run " << runId
                        << " to " << output << Qt::endl;
    return 0;
}

} // namespace evs::cli
