// Escaping of untrusted text per export format, and the shared number and format helpers.
#include "app/reports/csvexport.h"
#include "app/reports/reportformat.h"
#include "models/core/textescape.h"

#include <QRegularExpression>
#include <QtTest>

using namespace evs;
using namespace Qt::StringLiterals;

class TestTextEscape : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void html_data()
    {
        QTest::addColumn<QString>("in");
        QTest::addColumn<QString>("out");
        QTest::addRow("plain") << u"hello"_s << u"hello"_s;
        QTest::addRow("script") << u"<script>alert(1)</script>"_s << u"&lt;script&gt;alert(1)&lt;/script&gt;"_s;
        QTest::addRow("attribute breakout")
            << u"\"><img src=x onerror=alert(1)>"_s << u"&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"_s;
        QTest::addRow("ampersand first") << u"&lt;"_s << u"&amp;lt;"_s;
        QTest::addRow("single quote") << u"it's"_s << u"it&#39;s"_s;
    }
    void html()
    {
        QFETCH(QString, in);
        QFETCH(QString, out);
        QCOMPARE(TextEscape::html(in), out);
    }

    void markdown_data()
    {
        QTest::addColumn<QString>("in");
        QTest::addColumn<QString>("out");
        QTest::addRow("plain") << u"hello world"_s << u"hello world"_s;
        QTest::addRow("pipe") << u"a|b"_s << u"a\\|b"_s;
        QTest::addRow("backtick") << u"`code`"_s << u"\\`code\\`"_s;
        QTest::addRow("link") << u"[x](javascript:alert(1))"_s << u"\\[x\\]\\(javascript:alert\\(1\\)\\)"_s;
        QTest::addRow("image") << u"![a](b)"_s << u"\\!\\[a\\]\\(b\\)"_s;
        QTest::addRow("raw html") << u"<script>alert(1)</script>"_s << u"&lt;script&gt;alert\\(1\\)&lt;/script&gt;"_s;
        QTest::addRow("newlines fold") << u"a\n\nb\r\nc"_s << u"a b c"_s;
        QTest::addRow("emphasis and heading") << u"# *x* _y_"_s << u"\\# \\*x\\* \\_y\\_"_s;
        QTest::addRow("backslash") << u"a\\|b"_s << u"a\\\\\\|b"_s;
        QTest::addRow("entity stays literal") << u"&lt;"_s << u"&amp;lt;"_s;
    }
    void markdown()
    {
        QFETCH(QString, in);
        QFETCH(QString, out);
        QCOMPARE(TextEscape::markdown(in), out);
    }

    // Hostile text, as a model or a dataset could hold it; every escaper must keep it inert and reversible.
    static void hostileRows()
    {
        QTest::addColumn<QString>("in");
        QTest::addRow("script") << u"<script>alert('x')</script>"_s;
        QTest::addRow("attributes") << u"<a href=\"javascript:x\" onclick='y'>&amp; more</a>"_s;
        QTest::addRow("entities") << u"&lt;b&gt; &#60; &#x3C; &quot;"_s;
        QTest::addRow("pipes") << u"a | b || c"_s;
        QTest::addRow("code span with pipe") << u"`x | y`"_s;
        QTest::addRow("newlines and pipe") << u"line 1\nline 2 | z\r\nend"_s;
        QTest::addRow("escaped pipe") << u"a \\| b"_s;
        QTest::addRow("cell markup") << u"</td><td>|</td>"_s;
        QTest::addRow("link and image") << u"[x](javascript:alert(1)) ![i](http://e/x.png)"_s;
        QTest::addRow("heading and rule") << u"# title\n---\n> quote"_s;
    }

    void htmlIsInertAndReversible_data() { hostileRows(); }
    void htmlIsInertAndReversible()
    {
        QFETCH(QString, in);
        const QString out = TextEscape::html(in);
        for (const QChar c : { u'<', u'>', u'"', u'\'' })
            QVERIFY2(!out.contains(c), qPrintable(out));
        // Every & starts one of the five entities, and decoding them gives the input back.
        QVERIFY2(!out.contains(QRegularExpression(u"&(?!(amp|lt|gt|quot|#39);)"_s)), qPrintable(out));
        QString back = out;
        back.replace(u"&lt;"_s, u"<"_s).replace(u"&gt;"_s, u">"_s).replace(u"&quot;"_s, u"\""_s);
        back.replace(u"&#39;"_s, u"'"_s).replace(u"&amp;"_s, u"&"_s);
        QCOMPARE(back, in);
    }

    void markdownCellStaysOneCell_data() { hostileRows(); }
    void markdownCellStaysOneCell()
    {
        QFETCH(QString, in);
        const QString cell = TextEscape::markdown(in);
        const QString row = u"| id | "_s + cell + u" | 1 |"_s;
        QVERIFY2(!row.contains(u'\n') && !row.contains(u'\r'), qPrintable(row));
        QVERIFY2(!row.contains(u'<'), qPrintable(row)); // no raw HTML can open
        // A GFM table splits a row at every pipe not preceded by a backslash: still three cells.
        QCOMPARE(row.count(QRegularExpression(u"(?<!\\\\)\\|"_s)), 4);
        // No backtick is left to open a code span (inside which a backslash would not escape the pipe).
        QVERIFY2(!cell.contains(QRegularExpression(u"(?<!\\\\)`"_s)), qPrintable(cell));
        // Undoing the backslashes and the three entities gives the input, its line breaks folded to spaces.
        QString back = cell;
        back.replace(QRegularExpression(u"\\\\(.)"_s), u"\\1"_s);
        back.replace(u"&lt;"_s, u"<"_s).replace(u"&gt;"_s, u">"_s).replace(u"&amp;"_s, u"&"_s);
        QString folded = in;
        folded.replace(QRegularExpression(u"[\\r\\n]+"_s), u" "_s);
        QCOMPARE(back, folded);
    }

    void csv_data()
    {
        QTest::addColumn<QString>("in");
        QTest::addColumn<QString>("out");
        QTest::addRow("plain") << u"abc"_s << u"abc"_s;
        QTest::addRow("comma") << u"a,b"_s << u"\"a,b\""_s;
        QTest::addRow("quote") << u"say \"hi\""_s << u"\"say \"\"hi\"\"\""_s;
        QTest::addRow("newline") << u"a\nb"_s << u"\"a\nb\""_s;
        QTest::addRow("cr") << u"a\rb"_s << u"\"a\rb\""_s;
        QTest::addRow("empty") << QString() << QString();
    }
    void csv()
    {
        QFETCH(QString, in);
        QFETCH(QString, out);
        QCOMPARE(TextEscape::csvField(in), out);
    }

    void prometheusLabel() { QCOMPARE(TextEscape::prometheusLabel(u"a\"b\\c\nd"_s), u"a\\\"b\\\\c\\nd"_s); }

    void nsToMs_data()
    {
        QTest::addColumn<qint64>("ns");
        QTest::addColumn<QString>("ms");
        QTest::addRow("zero") << qint64(0) << u"0.000000"_s;
        QTest::addRow("one ns") << qint64(1) << u"0.000001"_s;
        QTest::addRow("ms") << qint64(12345678) << u"12.345678"_s;
        QTest::addRow("negative") << qint64(-1500000) << u"-1.500000"_s;
        QTest::addRow("large") << qint64(3600000000123) << u"3600000.000123"_s;
    }
    void nsToMs()
    {
        QFETCH(qint64, ns);
        QFETCH(QString, ms);
        QCOMPARE(CsvExport::nsToMs(ns), ms);
    }

    void formats()
    {
        for (const QString& name : reportFormatNames()) {
            const auto f = reportFormatFromName(name);
            QVERIFY(f.has_value());
            QCOMPARE(reportFormatName(*f), name);
        }
        QCOMPARE(reportFormatFromPath(u"/tmp/r.xml"_s), ReportFormat::Junit);
        QCOMPARE(reportFormatFromPath(u"r.MD"_s), ReportFormat::Markdown);
        QVERIFY(!reportFormatFromName(u"docx"_s));
    }
};

QTEST_GUILESS_MAIN(TestTextEscape)
#include "tst_textescape.moc"
