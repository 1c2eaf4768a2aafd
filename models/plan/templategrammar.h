#pragma once

#include <QString>
#include <QStringList>
#include <QVector>

namespace evs {

// The prompt template grammar (docs/plan.md, Templates) as data, with the one parser of it. The plan parser checks
// templates with it and PromptRenderer renders what it parses, so the two cannot disagree on what a template is.
//
//     template    := (text | placeholder)*
//     placeholder := "{{" name ("|" filter)* "}}"        white space around a name or filter is ignored
//     name        := [A-Za-z0-9_.-]+                    a built-in, "record.KEY", or a key of the raw record
//     filter      := one of filters() by name; filters take no arguments ("trim:2" is an error that says so)
//
// Whether a name exists is known only with a record at hand: PromptRenderer::checkSample says so.
class TemplateGrammar {
public:
    struct Placeholder {
        QString name;
        QString description;
    };
    struct Filter {
        QString name;
        QString description;
    };
    struct Segment {
        bool placeholder = false;
        QString text; // literal text, or the placeholder's name
        QStringList filters; // names, in the order they apply
    };
    struct Parsed {
        QVector<Segment> segments;
        QString error; // empty when the text is a valid template; else what is wrong and at which character
    };

    // The built-in placeholders of every sample, in the order the documentation lists them.
    static const QVector<Placeholder>& placeholders();
    static QStringList placeholderNames();
    // "record.KEY" names a key of the raw record even when a built-in has the same name.
    static QString recordPrefix();
    static const QVector<Filter>& filters();
    static QStringList filterNames();
    static const Filter* findFilter(QStringView name);

    static Parsed parse(const QString& text);
    static QString error(const QString& text) { return parse(text).error; }
};

} // namespace evs
