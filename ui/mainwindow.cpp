#include "ui/mainwindow.h"

#include "models/core/metricdefinitions.h"
#include "models/core/textescape.h"
#include "models/plan/planparser.h"
#include "ui/aboutdialog.h"
#include "ui/appcontext.h"
#include "ui/benchmarkspage.h"
#include "ui/comparepage.h"
#include "ui/modelspage.h"
#include "ui/reportspage.h"
#include "ui/runlauncher.h"
#include "ui/runspage.h"
#include "ui/workspace.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDialog>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QMenuBar>
#include <QMessageBox>
#include <QProgressBar>
#include <QSettings>
#include <QSplitter>
#include <QStackedWidget>
#include <QStatusBar>
#include <QStyle>
#include <QTabWidget>
#include <QTextBrowser>
#include <QVBoxLayout>
#include <QWindow>

#include <spdlog/spdlog.h>

#include <cmath>

using namespace Qt::StringLiterals;

namespace evs {

namespace {

QSettings settings()
{
    return QSettings(); // the application's organisation and name: "evalsandbox" in the app
}

QString formatEta(double s)
{
    if (!(s >= 0))
        return {};
    const qint64 t = qint64(std::llround(s));
    if (t >= 3600)
        return u"%1 h %2 min"_s.arg(t / 3600).arg((t % 3600) / 60);
    if (t >= 60)
        return u"%1 min %2 s"_s.arg(t / 60).arg(t % 60);
    return u"%1 s"_s.arg(t);
}

} // namespace

MainWindow::MainWindow(AppContext* context, SecretStore* secrets, QWidget* parent)
    : QMainWindow(parent)
    , m_context(context)
    , m_secrets(secrets)
    , m_navigation(new QListWidget)
    , m_pages(new QStackedWidget)
{
    setObjectName(u"mainWindow"_s);
    setWindowTitle(tr("AGI Evaluation Sandbox"));
    setWindowIcon(QIcon::fromTheme(u"applications-science"_s, style()->standardIcon(QStyle::SP_ComputerIcon)));

    m_modelsPage = new ModelsPage(context, secrets);
    m_benchmarksPage = new BenchmarksPage(context);
    m_runsPage = new RunsPage(context);
    m_comparePage = new ComparePage(context);
    m_reportsPage = new ReportsPage(context);
    m_pages->setObjectName(u"pages"_s);
    for (QWidget* p :
        std::initializer_list<QWidget*> { m_modelsPage, m_benchmarksPage, m_runsPage, m_comparePage, m_reportsPage })
        m_pages->addWidget(p);

    // The navigation: a short list with icons from the current style, so that it follows the palette.
    m_navigation->setObjectName(u"navigation"_s);
    const struct {
        QString text;
        QStyle::StandardPixmap icon;
        QString toolTip;
    } entries[] = {
        { tr("Models"), QStyle::SP_DriveNetIcon, tr("Endpoints to evaluate: provider, URL, key, limits, price") },
        { tr("Benchmarks"), QStyle::SP_FileDialogDetailedView, tr("Datasets, prompt templates and scorers") },
        { tr("Runs"), QStyle::SP_MediaPlay, tr("The active run's dashboard, stored runs and their samples") },
        { tr("Compare"), QStyle::SP_FileDialogContentsView, tr("Two or more runs side by side") },
        { tr("Reports"), QStyle::SP_DialogSaveButton, tr("Export runs as HTML, PDF, CSV, JSON, Markdown, JUnit") },
    };
    for (int i = 0; i < PageCount; ++i) {
        auto* item = new QListWidgetItem(style()->standardIcon(entries[i].icon), entries[i].text);
        item->setToolTip(entries[i].toolTip + u"  (Ctrl+%1)"_s.arg(i + 1));
        item->setSizeHint(QSize(0, m_navigation->fontMetrics().height() * 2 + 8));
        m_navigation->addItem(item);
    }
    m_navigation->setIconSize(QSize(20, 20));
    m_navigation->setFrameShape(QFrame::NoFrame);
    m_navigation->setSelectionMode(QAbstractItemView::SingleSelection);
    m_navigation->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    int navWidth = 0;
    for (const auto& e : entries)
        navWidth = std::max(navWidth, m_navigation->fontMetrics().horizontalAdvance(e.text));
    m_navigation->setFixedWidth(navWidth + 20 + 48);
    m_navigation->setBackgroundRole(QPalette::Window);
    m_navigation->setAutoFillBackground(true);

    auto* central = new QWidget;
    auto* layout = new QHBoxLayout(central);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(m_navigation);
    auto* line = new QFrame;
    line->setFrameShape(QFrame::VLine);
    line->setFrameShadow(QFrame::Sunken);
    layout->addWidget(line);
    layout->addWidget(m_pages, 1);
    setCentralWidget(central);

    connect(m_navigation, &QListWidget::currentRowChanged, this, [this](int row) {
        if (row < 0)
            return;
        m_pages->setCurrentIndex(row);
        settings().setValue(u"mainWindow/lastPage"_s, row);
        if (row == ComparePageIndex)
            m_comparePage->refresh();
        else if (row == ReportsPageIndex)
            m_reportsPage->refresh();
    });

    createActions();
    createStatusBar();
    connect(context, &AppContext::runStarted, this, &MainWindow::onRunStarted);
    connect(context, &AppContext::snapshotAvailable, this, &MainWindow::onSnapshot);
    connect(context, &AppContext::runFinished, this, &MainWindow::onRunFinished);
    restoreSettings();
    updateRunActions();
}

MainWindow::~MainWindow() = default;

void MainWindow::createActions()
{
    QMenu* file = menuBar()->addMenu(tr("&File"));
    m_newRun = file->addAction(
        style()->standardIcon(QStyle::SP_MediaPlay), tr("&New run…"), this, [this] { openRunLauncher(); });
    m_newRun->setObjectName(u"newRunAction"_s);
    m_newRun->setShortcut(QKeySequence(u"Ctrl+R"_s));
    m_newRun->setStatusTip(tr("Choose models and benchmarks and start a run"));
    QAction* open = file->addAction(
        style()->standardIcon(QStyle::SP_DialogOpenButton), tr("&Open plan…"), this, &MainWindow::chooseAndOpenPlan);
    open->setObjectName(u"openPlanAction"_s);
    open->setShortcut(QKeySequence::Open);
    open->setStatusTip(tr("Import a plan file's models and benchmarks into the workspace"));
    m_recentMenu = file->addMenu(tr("Recent &plans"));
    m_recentMenu->setObjectName(u"recentMenu"_s);
    connect(m_recentMenu, &QMenu::aboutToShow, this, &MainWindow::rebuildRecentMenu);
    rebuildRecentMenu();
    file->addSeparator();
    QAction* quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setObjectName(u"quitAction"_s);
    quit->setShortcut(QKeySequence(u"Ctrl+Q"_s));
    quit->setMenuRole(QAction::QuitRole);

    QMenu* view = menuBar()->addMenu(tr("&View"));
    for (int i = 0; i < PageCount; ++i) {
        QAction* a = view->addAction(
            m_navigation->item(i)->icon(), m_navigation->item(i)->text(), this, [this, i] { showPage(i); });
        a->setObjectName(u"pageAction%1"_s.arg(i));
        a->setShortcut(QKeySequence(u"Ctrl+%1"_s.arg(i + 1)));
    }

    // The runs page shows a run as tabs (dashboard, samples): jump to either from anywhere.
    view->addSeparator();
    const auto showRunTab = [this](int tab) {
        showPage(RunsPageIndex);
        m_runsPage->findChild<QTabWidget*>(u"runTabs"_s)->setCurrentIndex(tab);
    };
    QAction* dashboard = view->addAction(tr("Run &dashboard"), this, [showRunTab] { showRunTab(0); });
    dashboard->setObjectName(u"showDashboardAction"_s);
    dashboard->setShortcut(QKeySequence(u"Ctrl+Shift+D"_s));
    QAction* samples = view->addAction(tr("Run &samples"), this, [showRunTab] { showRunTab(1); });
    samples->setObjectName(u"showSamplesAction"_s);
    samples->setShortcut(QKeySequence(u"Ctrl+Shift+S"_s));

    QMenu* run = menuBar()->addMenu(tr("&Run"));
    run->addAction(m_newRun);
    run->addSeparator();
    m_pause = run->addAction(style()->standardIcon(QStyle::SP_MediaPause), tr("&Pause"), this, [this] {
        m_context->pauseActiveRun();
        updateRunActions();
    });
    m_pause->setObjectName(u"pauseAction"_s);
    m_pause->setShortcut(QKeySequence(u"Ctrl+Shift+P"_s));
    m_pause->setStatusTip(tr("Stop sending new requests; requests in flight complete"));
    m_resume = run->addAction(style()->standardIcon(QStyle::SP_MediaPlay), tr("Re&sume"), this, [this] {
        m_context->resumeActiveRun();
        updateRunActions();
    });
    m_resume->setObjectName(u"resumeAction"_s);
    m_resume->setShortcut(QKeySequence(u"Ctrl+Shift+R"_s));
    m_stop = run->addAction(style()->standardIcon(QStyle::SP_MediaStop), tr("S&top"), this, [this] {
        m_context->stopActiveRun();
        statusBar()->showMessage(tr("Stopping the run; it can be resumed from the Runs page."), 5000);
    });
    m_stop->setObjectName(u"stopAction"_s);
    m_stop->setShortcut(QKeySequence(u"Ctrl+."_s));
    m_stop->setStatusTip(tr("Abort the requests in flight; the run stays resumable"));

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    QAction* metrics = help->addAction(tr("&Metric definitions"), this, [this] { showMetricDefinitions(); });
    metrics->setObjectName(u"metricsAction"_s);
    metrics->setShortcut(QKeySequence::HelpContents);
    QAction* about = help->addAction(tr("&About evalsandbox"), this, [this] { showAbout(); });
    about->setObjectName(u"aboutAction"_s);
    about->setMenuRole(QAction::AboutRole);
}

void MainWindow::createStatusBar()
{
    m_storeLabel = new QLabel;
    m_storeLabel->setObjectName(u"storeLabel"_s);
    const QString path = QDir::toNativeSeparators(m_context->databasePath());
    m_storeLabel->setText(tr("Store: %1").arg(path));
    m_storeLabel->setToolTip(tr("The results store (SQLite). EVALSANDBOX_DB chooses another one.\n%1").arg(path));
    m_storeLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_runLabel = new QLabel(tr("No run"));
    m_runLabel->setObjectName(u"runStatusLabel"_s);
    m_runProgress = new QProgressBar;
    m_runProgress->setObjectName(u"runProgress"_s);
    m_runProgress->setMaximumWidth(180);
    m_runProgress->setTextVisible(true);
    m_runProgress->hide();
    statusBar()->addWidget(m_storeLabel, 1);
    statusBar()->addPermanentWidget(m_runLabel);
    statusBar()->addPermanentWidget(m_runProgress);
}

void MainWindow::restoreSettings()
{
    QSettings s = settings();
    s.beginGroup(u"mainWindow"_s);
    if (!restoreGeometry(s.value(u"geometry"_s).toByteArray()))
        resize(1280, 820);
    restoreState(s.value(u"state"_s).toByteArray());
    // First launch: the runs page, where the demo run is one click away.
    const int page = s.value(u"lastPage"_s, int(RunsPageIndex)).toInt();
    showPage(page >= 0 && page < PageCount ? page : int(RunsPageIndex));
    s.endGroup();
}

void MainWindow::saveSettings() const
{
    QSettings s = settings();
    s.beginGroup(u"mainWindow"_s);
    s.setValue(u"geometry"_s, saveGeometry());
    s.setValue(u"state"_s, saveState());
    s.setValue(u"lastPage"_s, currentPage());
    s.endGroup();
}

void MainWindow::showPage(int page)
{
    if (page < 0 || page >= PageCount)
        return;
    m_navigation->setCurrentRow(page);
}

int MainWindow::currentPage() const
{
    return m_pages->currentIndex();
}

QWidget* MainWindow::page(int page) const
{
    return m_pages->widget(page);
}

QDialog* MainWindow::openRunLauncher()
{
    if (m_launcher) {
        m_launcher->raise();
        m_launcher->activateWindow();
        return m_launcher;
    }
    m_launcher = new RunLauncher(m_context, this);
    m_launcher->setAttribute(Qt::WA_DeleteOnClose);
    m_launcher->open(); // window-modal without a nested event loop: tests can answer it
    return m_launcher;
}

bool MainWindow::openPlanFile(const QString& path, QString* errorOut)
{
    const auto fail = [&](const QString& e) {
        statusBar()->showMessage(e, 15000);
        spdlog::warn("{}", e.toStdString());
        if (errorOut)
            *errorOut = e;
        return false;
    };
    PlanError planError;
    const auto plan = PlanParser::parseFile(path, &planError);
    if (!plan)
        return fail(planError.toString(path));
    Workspace* ws = m_context->workspace();
    QString error;
    for (const auto& m : plan->models) {
        int index = int(ws->models().size());
        for (int i = 0; i < ws->models().size(); ++i) {
            if (ws->models()[i].id == m.id)
                index = i;
        }
        if (!ws->setModel(index, m, &error))
            return fail(error);
    }
    for (const auto& b : plan->benchmarks) {
        int index = int(ws->benchmarks().size());
        for (int i = 0; i < ws->benchmarks().size(); ++i) {
            if (ws->benchmarks()[i].id == b.id)
                index = i;
        }
        if (!ws->setBenchmark(index, b, &error))
            return fail(error);
    }
    addRecentPlan(QFileInfo(path).absoluteFilePath());
    statusBar()->showMessage(tr("Imported %n model(s)", nullptr, int(plan->models.size()))
            + tr(" and %n benchmark(s) from %1", nullptr, int(plan->benchmarks.size())).arg(QFileInfo(path).fileName()),
        10000);
    return true;
}

void MainWindow::chooseAndOpenPlan()
{
    auto* dialog = new QFileDialog(this, tr("Open plan"), QString(), tr("Plan files (*.json);;All files (*)"));
    dialog->setObjectName(u"openPlanDialog"_s);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setFileMode(QFileDialog::ExistingFile);
    const QStringList recent = recentPlans();
    if (!recent.isEmpty())
        dialog->setDirectory(QFileInfo(recent.first()).absolutePath());
    connect(dialog, &QFileDialog::fileSelected, this, [this](const QString& path) { openPlanFile(path); });
    dialog->open();
}

QStringList MainWindow::recentPlans() const
{
    return settings().value(u"recentPlans"_s).toStringList();
}

void MainWindow::addRecentPlan(const QString& path)
{
    QStringList list = recentPlans();
    list.removeAll(path);
    list.prepend(path);
    while (list.size() > maxRecentPlans)
        list.removeLast();
    QSettings s = settings();
    s.setValue(u"recentPlans"_s, list);
    rebuildRecentMenu();
}

void MainWindow::rebuildRecentMenu()
{
    m_recentMenu->clear();
    const QStringList list = recentPlans();
    for (int i = 0; i < list.size(); ++i) {
        const QString path = list[i];
        QAction* a = m_recentMenu->addAction(
            u"&%1 %2"_s.arg(i + 1).arg(QFileInfo(path).fileName()), this, [this, path] { openPlanFile(path); });
        a->setToolTip(QDir::toNativeSeparators(path));
        a->setStatusTip(QDir::toNativeSeparators(path));
    }
    if (list.isEmpty()) {
        m_recentMenu->addAction(tr("(none yet)"))->setEnabled(false);
        return;
    }
    m_recentMenu->addSeparator();
    m_recentMenu->addAction(tr("&Clear list"), this, [this] {
        QSettings s = settings();
        s.remove(u"recentPlans"_s);
        rebuildRecentMenu();
    });
}

QDialog* MainWindow::showAbout()
{
    if (!m_about) {
        m_about = new AboutDialog(m_context->databasePath(), this);
        m_about->setAttribute(Qt::WA_DeleteOnClose);
    }
    m_about->open();
    return m_about;
}

QDialog* MainWindow::showMetricDefinitions()
{
    if (!m_metrics) {
        auto* dialog = new QDialog(this);
        dialog->setObjectName(u"metricsDialog"_s);
        dialog->setWindowTitle(tr("Metric definitions"));
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        auto* text = new QTextBrowser;
        QString html = u"<dl>"_s;
        for (const MetricDefinition& m : metricDefinitions()) {
            if (!(m.lists & MetricDefinition::GuiList))
                continue;
            html += u"<dt><b>"_s + TextEscape::html(m.label.toString()) + u"</b></dt><dd>"_s
                + TextEscape::html(metricDescription(m)) + u"</dd>"_s;
        }
        text->setHtml(html + u"</dl>"_s);
        auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close);
        connect(buttons, &QDialogButtonBox::rejected, dialog, &QDialog::reject);
        auto* layout = new QVBoxLayout(dialog);
        layout->addWidget(text);
        layout->addWidget(buttons);
        dialog->resize(560, 520);
        m_metrics = dialog;
    }
    m_metrics->show(); // modeless: it stays open next to the dashboard
    m_metrics->raise();
    return m_metrics;
}

void MainWindow::onRunStarted(qint64 runId)
{
    m_runLabel->setText(tr("Run #%1 starting…").arg(runId));
    m_runProgress->setRange(0, 0);
    m_runProgress->show();
    if (RunController* run = m_context->activeRun()) {
        // The end of a large run takes seconds (off the GUI thread): say what is going on meanwhile.
        connect(run, &RunController::drained, this, [this, runId] {
            m_runLabel->setText(tr("Run #%1: computing the exact summary…").arg(runId));
            m_runProgress->setRange(0, 0);
            updateRunActions();
        });
    }
    updateRunActions();
    m_runsPage->showRun(runId);
    showPage(RunsPageIndex);
}

void MainWindow::onSnapshot(const LiveSnapshotPtr& snapshot)
{
    if (!snapshot)
        return;
    const RunProgress& p = snapshot->progress;
    QString text = tr("Run #%1: %2").arg(snapshot->runId).arg(p.done);
    if (p.planned > 0) {
        text += u" / %1"_s.arg(p.planned);
        m_runProgress->setRange(0, 1000);
        m_runProgress->setValue(int(std::clamp(1000.0 * double(p.done) / double(p.planned), 0.0, 1000.0)));
    }
    if (p.failed > 0)
        text += tr(" · %1 failed").arg(p.failed);
    if (const QString eta = formatEta(p.etaS()); !eta.isEmpty() && !snapshot->final)
        text += tr(" · ETA %1").arg(eta);
    if (m_context->activeRun() && m_context->activeRun()->isPaused())
        text += tr(" · paused");
    m_runLabel->setText(text);
    m_runLabel->setToolTip(metricDefinition(u"eta"));
}

void MainWindow::onRunFinished(qint64 runId, RunStatus status)
{
    m_runProgress->hide();
    // The permanent label says it; a temporary message would hide the store's path.
    m_runLabel->setText(tr("Run #%1 %2").arg(runId).arg(runStatusName(status)));
    updateRunActions();
}

void MainWindow::updateRunActions()
{
    RunController* run = m_context->activeRun();
    const bool going = run && !run->isFinalizing(); // nothing is sent any more while the run finalises
    const bool paused = going && run->isPaused();
    m_pause->setEnabled(going && !paused);
    m_resume->setEnabled(going && paused);
    m_stop->setEnabled(going);
}

void MainWindow::showEvent(QShowEvent* event)
{
    QMainWindow::showEvent(event);
    if (!m_exposed && windowHandle())
        windowHandle()->installEventFilter(this);
}

bool MainWindow::eventFilter(QObject* watched, QEvent* event)
{
    if (!m_exposed && event->type() == QEvent::Expose && watched == windowHandle() && windowHandle()->isExposed()) {
        m_exposed = true;
        windowHandle()->removeEventFilter(this);
        Q_EMIT firstExposed();
    }
    return QMainWindow::eventFilter(watched, event);
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    saveSettings();
    if (m_context->activeRun()) {
        // Quitting during a run leaves it resumable, as Run > Stop does.
        spdlog::info("quitting during run {}: stopping it (resumable)", m_context->activeRun()->runId());
        m_context->stopActiveRun();
    }
    event->accept();
}

} // namespace evs
