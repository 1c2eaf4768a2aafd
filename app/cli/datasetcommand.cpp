// `evalsandbox-cli dataset inspect` (how a dataset file is read: format, field mapping, rendered rows, bad
// records) and `evalsandbox-cli run PLAN --dry-run [N]` (the first requests exactly as they would be sent).
#include "app/benchmarks/promptrenderer.h"
#include "app/benchmarks/recordmapper.h"
#include "app/benchmarks/samplesource.h"
#include "app/cli/commands.h"
#include "app/providers/provider.h"
#include "models/plan/planparser.h"

#include <QCommandLineParser>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTextStream>

using namespace Qt::StringLiterals;

namespace evs::cli {

namespace {

constexpr int kExitOk = 0;
constexpr int kExitUsage = 2;

QString indented(const QString& text, const QString& prefix = u"    "_s)
{
    QStringList lines = text.split(u'\n');
    for (QString& l : lines)
        l.prepend(prefix);
    return lines.join(u'\n');
}

QString mappingText(const QJsonValue& v)
{
    if (v.isArray()) {
        QStringList keys;
        for (const QJsonValue& k : v.toArray())
            keys << k.toString();
        return u'[' + keys.join(u", "_s) + u']';
    }
    return v.toString();
}

QJsonArray messagesJson(const PromptRequest& p)
{
    QJsonArray messages;
    for (const ChatMessage& m : p.messages)
        messages.append(QJsonObject { { u"role"_s, m.role }, { u"content"_s, m.content } });
    return messages;
}

bool parseCount(const QString& text, int* n)
{
    bool ok = false;
    *n = text.toInt(&ok);
    return ok && *n >= 0 && *n <= 1000000;
}

int inspect(const QStringList& args)
{
    QCommandLineParser p;
    p.setApplicationDescription(u"evalsandbox-cli dataset inspect: how a dataset file is read"_s);
    p.addHelpOption();
    p.addOption(
        { u"format"_s, u"Read as FORMAT: "_s + SampleSource::formatNames().join(u", "_s) + u"."_s, u"FORMAT"_s });
    p.addOption(
        { u"fields"_s, u"Field mapping as a JSON object, as in a plan: {\"input\": \"q\", ...}."_s, u"JSON"_s });
    p.addOption({ u"template"_s, u"User message template, as in a plan."_s, u"TEMPLATE"_s });
    p.addOption({ u"rows"_s, u"Rendered rows to show (default 3)."_s, u"N"_s, u"3"_s });
    p.addOption({ u"json"_s, u"Print the report as JSON."_s });
    p.addPositionalArgument(u"file"_s, u"The dataset file, or builtin:NAME."_s);
    if (!p.parse(QStringList { u"evalsandbox-cli dataset inspect"_s } + args))
        return fail(kExitUsage, u"dataset inspect: "_s + p.errorText());
    if (p.isSet(u"help"_s)) {
        out() << p.helpText();
        return kExitOk;
    }
    if (p.positionalArguments().size() != 1)
        return fail(kExitUsage, u"dataset inspect: expected one file (evalsandbox-cli dataset inspect FILE)"_s);
    int rows = 0;
    if (!parseCount(p.value(u"rows"_s), &rows))
        return fail(kExitUsage, u"dataset inspect: --rows must be a whole number >= 0"_s);

    BenchmarkSpec spec;
    spec.id = u"inspect"_s;
    const QString file = p.positionalArguments().constFirst();
    spec.dataset = file.startsWith(u"builtin:"_s) ? file : QFileInfo(file).absoluteFilePath();
    spec.format = p.value(u"format"_s);
    spec.promptTemplate = p.value(u"template"_s);
    if (p.isSet(u"fields"_s)) {
        QJsonParseError e;
        const QJsonDocument doc = QJsonDocument::fromJson(p.value(u"fields"_s).toUtf8(), &e);
        if (e.error != QJsonParseError::NoError || !doc.isObject())
            return fail(kExitUsage, u"dataset inspect: --fields must be a JSON object, e.g. {\"input\": \"q\"}"_s);
        spec.fields = doc.object();
        static const QStringList known
            = { u"input"_s, u"choices"_s, u"target"_s, u"id"_s, u"category"_s, u"metadata"_s };
        for (auto it = spec.fields.begin(); it != spec.fields.end(); ++it) {
            if (!known.contains(it.key()))
                return fail(kExitUsage,
                    u"dataset inspect: --fields: unknown field \"%1\"; fields: %2"_s.arg(
                        it.key(), known.join(u", "_s)));
            if (!it->isString() && !it->isArray())
                return fail(
                    kExitUsage, u"dataset inspect: --fields.%1 must be a key or a list of keys"_s.arg(it.key()));
        }
    }
    if (const QString e = PromptRenderer::templateError(spec.promptTemplate); !e.isEmpty())
        return fail(kExitUsage, u"dataset inspect: --template: "_s + e);

    QString how;
    QString error;
    const QString format = SampleSource::resolveFormat(spec, &how, &error);
    if (format.isEmpty())
        return fail(kExitUsage, u"dataset inspect: "_s + error);
    auto source = SampleSource::open(spec, &error);
    if (!source)
        return fail(kExitUsage, u"dataset inspect: "_s + error);
    const PromptRenderer renderer(spec);
    const RecordMapper mapper(spec.fields);

    // The whole file is read, so that the counts cover every record (in bounded memory); rows are rendered from
    // the first good samples.
    QJsonObject mapping;
    QJsonArray samples;
    qint64 good = 0;
    Sample s;
    while (source->next(&s)) {
        if (good == 0)
            mapping = mapper.describe(s.record);
        if (good < rows) {
            const PromptRequest r = renderer.render(s);
            QString unknown;
            renderer.checkSample(s, &unknown);
            QJsonObject o { { u"index"_s, s.index }, { u"id"_s, s.id }, { u"input"_s, s.input },
                { u"target"_s, s.target }, { u"category"_s, s.category }, { u"metadata"_s, mapper.metadata(s.record) },
                { u"messages"_s, messagesJson(r) } };
            if (!s.choices.isEmpty())
                o.insert(u"choices"_s, QJsonArray::fromStringList(s.choices));
            if (!unknown.isEmpty())
                o.insert(u"template_error"_s, unknown);
            samples.append(o);
        }
        ++good;
    }
    const QString fatal = source->error();

    if (p.isSet(u"json"_s)) {
        QJsonObject report { { u"dataset"_s, spec.dataset }, { u"format"_s, format }, { u"format_rule"_s, how },
            { u"mapping"_s, mapping }, { u"given_fields"_s, QJsonArray::fromStringList(spec.fields.keys()) },
            { u"samples"_s, samples }, { u"good_records"_s, good }, { u"bad_records"_s, source->badRecords() },
            { u"bad_record_reports"_s, QJsonArray::fromStringList(source->badRecordReports()) } };
        if (!fatal.isEmpty())
            report.insert(u"error"_s, fatal);
        out() << QJsonDocument(report).toJson(QJsonDocument::Indented);
        out().flush();
        return fatal.isEmpty() ? kExitOk : fail(kExitUsage, u"dataset inspect: "_s + fatal);
    }

    out() << "dataset:  " << spec.dataset << '\n';
    out() << "format:   " << format << " (" << how << ")\n";
    out() << "mapping:  ";
    if (mapping.isEmpty()) {
        out() << "(no good record to detect it from)\n";
    } else {
        QStringList parts;
        for (const QString& field : { u"input"_s, u"choices"_s, u"target"_s, u"id"_s, u"category"_s, u"metadata"_s }) {
            const QString source = mapping.contains(field) ? mappingText(mapping.value(field))
                : field == u"id"_s                         ? u"(the sample's index)"_s
                                                           : u"(none)"_s;
            parts << field + u" <- "_s + source + (spec.fields.contains(field) ? u" (given)"_s : QString());
        }
        out() << parts.join(u"\n          "_s) << '\n';
        out() << "          fields not given are detected; set them with --fields '{\"input\": \"KEY\", ...}'\n";
    }
    out() << "records:  " << good << " good, " << source->badRecords() << " bad (skipped)\n";
    for (const QJsonValue& v : samples) {
        const QJsonObject o = v.toObject();
        out() << "\n--- sample " << o.value(u"index"_s).toInteger() << " (id " << o.value(u"id"_s).toString()
              << ", target \"" << o.value(u"target"_s).toString() << "\"";
        if (!o.value(u"category"_s).toString().isEmpty())
            out() << ", category " << o.value(u"category"_s).toString();
        out() << ")\n";
        if (o.contains(u"template_error"_s))
            out() << "  template problem: " << o.value(u"template_error"_s).toString() << '\n';
        for (const QJsonValue& m : o.value(u"messages"_s).toArray())
            out() << "  [" << m[u"role"_s].toString() << "]\n" << indented(m[u"content"_s].toString()) << '\n';
    }
    if (source->badRecords() > 0) {
        out() << "\nbad records (line: reason), " << source->badRecords() << " in all";
        if (source->badRecords() > source->badRecordReports().size())
            out() << ", the first " << source->badRecordReports().size() << " shown";
        out() << ":\n";
        for (const QString& r : source->badRecordReports())
            out() << "  " << r << '\n';
    }
    out().flush();
    return fatal.isEmpty() ? kExitOk : fail(kExitUsage, u"dataset inspect: "_s + fatal);
}

// Authorization-like headers show that they are sent, never their value.
bool isSecretHeader(const QByteArray& name)
{
    const QByteArray n = name.toLower();
    return n == "authorization" || n == "x-api-key" || n == "api-key" || n == "proxy-authorization";
}

} // namespace

int cmdDataset(const QStringList& args)
{
    if (args.isEmpty() || args.constFirst() == u"--help"_s || args.constFirst() == u"help"_s) {
        out() << "Usage: evalsandbox-cli dataset inspect FILE [--format F] [--fields JSON] [--template T] [--rows N] "
                 "[--json]\n";
        out().flush();
        return args.isEmpty() ? kExitUsage : kExitOk;
    }
    if (args.constFirst() == u"inspect"_s)
        return inspect(args.mid(1));
    return fail(kExitUsage, u"dataset: unknown subcommand '%1' (expected: inspect)"_s.arg(args.constFirst()));
}

int runDryRun(const QString& planPath, const QStringList& extra)
{
    int perPair = 3;
    if (extra.size() > 1 || (extra.size() == 1 && !parseCount(extra.constFirst(), &perPair)))
        return fail(kExitUsage, u"run: --dry-run takes at most one count (evalsandbox-cli run PLAN --dry-run [N])"_s);
    PlanError planError;
    const auto plan = PlanParser::parseFile(planPath, &planError);
    if (!plan)
        return fail(kExitUsage, planError.toString(planPath));

    out() << "Dry run of plan '" << plan->name << "': the first " << perPair
          << " requests of each model x benchmark, as they would be sent. Nothing is sent.\n";
    for (int mi = 0; mi < plan->models.size(); ++mi) {
        ModelSpec model = plan->models[mi];
        const auto provider = Provider::create(model.provider);
        if (!provider)
            return fail(kExitUsage, u"models[%1].provider: unknown provider '%2'"_s.arg(mi).arg(model.provider));
        const bool inProcess = model.provider == u"simulator"_s && model.baseUrl.isEmpty();
        if (inProcess)
            model.baseUrl = u"http://127.0.0.1:0/v1"_s; // the in-process simulator's port is chosen when it starts
        // The key is never read: a placeholder stands in, so the header is shown but its value cannot leak.
        const QString keyPlaceholder = model.apiKeyRef.isEmpty() ? QString() : u"REDACTED"_s;
        if (model.apiKeyRef.startsWith(u"env:"_s) && qEnvironmentVariableIsEmpty(model.apiKeyRef.mid(4).toLocal8Bit()))
            out() << "note: models[" << mi << "].api_key: " << model.apiKeyRef.mid(4)
                  << " is not set; a real run would stop here\n";
        for (int bi = 0; bi < plan->benchmarks.size(); ++bi) {
            const BenchmarkSpec& bench = plan->benchmarks[bi];
            const PromptRenderer renderer(bench);
            QString why;
            if (!renderer.isValid(&why))
                return fail(kExitUsage, u"benchmarks[%1].template: %2"_s.arg(bi).arg(why));
            auto source = SampleSource::open(bench, &why);
            if (!source)
                return fail(kExitUsage, u"benchmarks[%1].dataset: %2"_s.arg(bi).arg(why));
            Sample sample;
            for (int n = 0; n < perPair && source->next(&sample); ++n) {
                if (!renderer.checkSample(sample, &why))
                    return fail(kExitUsage, u"benchmarks[%1].template: %2"_s.arg(bi).arg(why));
                PromptRequest prompt = renderer.render(sample);
                prompt.sampleKey = model.id + u'/' + bench.id + u'/' + sample.id + u"/0"_s; // as the engine does
                QByteArray body;
                const QNetworkRequest request = provider->buildRequest(model, prompt, keyPlaceholder, &body);
                out() << "\n=== model " << model.id << " x benchmark " << bench.id << ": sample " << sample.index
                      << " (id " << sample.id << ")\n";
                out() << "POST " << request.url().toString();
                if (inProcess)
                    out() << "   (in-process simulator; its port is chosen at run time)";
                out() << '\n';
                for (const QByteArray& name : request.rawHeaderList()) {
                    QString value = QString::fromLatin1(request.rawHeader(name));
                    if (isSecretHeader(name)) // keep the scheme ("Bearer"), never the credential
                        value = value.contains(u' ') ? value.section(u' ', 0, 0) + u" <redacted>"_s : u"<redacted>"_s;
                    out() << QString::fromLatin1(name) << ": " << value << '\n';
                }
                const QJsonDocument doc = QJsonDocument::fromJson(body);
                out() << '\n' << QString::fromUtf8(doc.isNull() ? body : doc.toJson(QJsonDocument::Indented));
            }
            if (source->badRecords() > 0)
                out() << "(" << source->badRecords()
                      << " bad records skipped before these samples; first: " << source->badRecordReports().value(0)
                      << ")\n";
        }
    }
    out().flush();
    return kExitOk;
}

} // namespace evs::cli
