#include "ui/aboutdialog.h"

#include <QApplication>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QStyle>
#include <QVBoxLayout>

#include <spdlog/version.h>
#include <sqlite3.h>

using namespace Qt::StringLiterals;

namespace evs {

QString AboutDialog::qtVersion()
{
    return QString::fromLatin1(qVersion());
}

QString AboutDialog::sqliteVersion()
{
    return QString::fromLatin1(sqlite3_libversion());
}

QString AboutDialog::spdlogVersion()
{
    return u"%1.%2.%3"_s.arg(SPDLOG_VER_MAJOR).arg(SPDLOG_VER_MINOR).arg(SPDLOG_VER_PATCH);
}

AboutDialog::AboutDialog(const QString& databasePath, QWidget* parent)
    : QDialog(parent)
{
    setObjectName(u"aboutDialog"_s);
    setWindowTitle(tr("About evalsandbox"));
    auto* title = new QLabel(tr("<h2>AGI Evaluation Sandbox</h2>"
                                "<p>Measures LLM endpoints for quality (benchmark scores with confidence intervals) "
                                "and service performance (latency percentiles, time to first token, throughput, "
                                "errors) in one run.</p>"));
    title->setWordWrap(true);
    auto* form = new QFormLayout;
    const auto add = [&](const QString& label, const QString& name, const QString& value) {
        auto* v = new QLabel(value);
        v->setObjectName(name);
        v->setTextInteractionFlags(Qt::TextSelectableByMouse);
        form->addRow(label, v);
    };
    add(tr("evalsandbox:"), u"appVersion"_s, QStringLiteral(EVS_VERSION));
    add(tr("Qt:"), u"qtVersion"_s, qtVersion());
    add(tr("SQLite:"), u"sqliteVersion"_s, sqliteVersion());
    add(tr("spdlog:"), u"spdlogVersion"_s, spdlogVersion());
    auto* store = new QLabel(databasePath);
    store->setObjectName(u"storePath"_s);
    store->setWordWrap(true);
    store->setTextInteractionFlags(Qt::TextSelectableByMouse);
    form->addRow(tr("Results store:"), store);
    auto* note = new QLabel(tr("No telemetry: evalsandbox talks only to the endpoints you configure."));
    note->setWordWrap(true);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(title);
    layout->addLayout(form);
    layout->addWidget(note);
    layout->addWidget(buttons);
    setMinimumWidth(420);
}

} // namespace evs
