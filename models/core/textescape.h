#pragma once

#include <QString>

namespace evs {

// Escaping for untrusted text (model output, dataset text, ids) in each export format (docs/architecture.md section 7),
// and for any text the GUI puts into rich text: the one escaper of the product.
class TextEscape {
public:
    // HTML text and attribute values: & < > " ' become entities.
    static QString html(QStringView text);
    // Markdown text that must stay literal, on one line (table cells, list items): backslash-escapes Markdown's
    // punctuation (| ` [ ] * _ ~ # \ and friends), writes < > & as entities so that no raw HTML can open,
    // and folds line breaks into spaces.
    static QString markdown(QStringView text);
    // A CSV field (RFC 4180): quoted when it holds a comma, quote, CR or LF; quotes doubled.
    static QString csvField(QStringView text);
    // A Prometheus label value: backslash, double quote and line feed escaped.
    static QString prometheusLabel(QStringView text);
    // At most maxChars characters, with an ellipsis when cut.
    static QString elide(QStringView text, qsizetype maxChars);
};

} // namespace evs
