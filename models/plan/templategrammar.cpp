#include "models/plan/templategrammar.h"

#include "models/plan/suggestion.h"

#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace evs {

const QVector<TemplateGrammar::Placeholder>& TemplateGrammar::placeholders()
{
    static const QVector<Placeholder> all = {
        { u"input"_s, u"the sample's question"_s },
        { u"target"_s, u"the expected answer"_s },
        { u"id"_s, u"the sample's id"_s },
        { u"category"_s, u"the sample's category"_s },
        { u"choices"_s, u"the options, as lettered lines \"A. text\""_s },
    };
    return all;
}

QStringList TemplateGrammar::placeholderNames()
{
    QStringList names;
    for (const Placeholder& p : placeholders())
        names << p.name;
    return names;
}

QString TemplateGrammar::recordPrefix()
{
    return u"record."_s;
}

const QVector<TemplateGrammar::Filter>& TemplateGrammar::filters()
{
    static const QVector<Filter> all = {
        { u"trim"_s, u"drops leading and trailing white space"_s },
        { u"upper"_s, u"upper case"_s },
        { u"lower"_s, u"lower case"_s },
        { u"lettered"_s, u"a list as lettered lines, \"A. first\" / \"B. second\""_s },
        { u"numbered"_s, u"a list as numbered lines, \"1. first\" / \"2. second\""_s },
        { u"json"_s, u"the value as compact JSON"_s },
    };
    return all;
}

QStringList TemplateGrammar::filterNames()
{
    QStringList names;
    for (const Filter& f : filters())
        names << f.name;
    return names;
}

const TemplateGrammar::Filter* TemplateGrammar::findFilter(QStringView name)
{
    for (const Filter& f : filters()) {
        if (f.name == name)
            return &f;
    }
    return nullptr;
}

TemplateGrammar::Parsed TemplateGrammar::parse(const QString& text)
{
    static const QRegularExpression validName(u"^[A-Za-z0-9_.\\-]+$"_s);
    Parsed out;
    const auto fail = [&out](const QString& message) {
        out.segments.clear();
        out.error = message;
        return out;
    };
    qsizetype pos = 0;
    while (pos < text.size()) {
        const qsizetype open = text.indexOf(u"{{"_s, pos);
        if (open < 0) {
            out.segments.append({ false, text.mid(pos), {} });
            break;
        }
        if (open > pos)
            out.segments.append({ false, text.mid(pos, open - pos), {} });
        const QString at = u" at character "_s + QString::number(open + 1);
        const qsizetype close = text.indexOf(u"}}"_s, open + 2);
        if (close < 0)
            return fail(u"unclosed \"{{\""_s + at);
        QStringList parts = text.mid(open + 2, close - open - 2).split(u'|');
        for (QString& p : parts)
            p = p.trimmed();
        const QString name = parts.takeFirst();
        if (!validName.match(name).hasMatch())
            return fail(
                u"bad placeholder \"{{"_s + name + u"}}\""_s + at + u": names are letters, digits, '_', '-' and '.'"_s);
        for (const QString& f : parts) {
            const qsizetype colon = f.indexOf(u':');
            const QString filterName = colon < 0 ? f : f.left(colon).trimmed();
            if (!findFilter(filterName))
                return fail(u"unknown filter \""_s + filterName + u'"' + at + didYouMean(filterName, filterNames())
                    + u"; filters: "_s + filterNames().join(u", "_s));
            if (colon >= 0)
                return fail(u"the filter \""_s + filterName + u"\" takes no arguments"_s + at);
        }
        out.segments.append({ true, name, parts });
        pos = close + 2;
    }
    return out;
}

} // namespace evs
