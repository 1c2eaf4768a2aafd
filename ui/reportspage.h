#pragma once

#include "app/reports/reportformat.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QTableView;

namespace evs {

class AppContext;
class ReportExporter;
class RunListModel;
class RunTable;
class ThresholdTableModel;

// Pick a stored run (status, date, n, score; refreshed when the store's list changes), see its thresholds as
// passed or failed, and export a report of it in any of ReportWriter's formats to a chosen file. The run list and
// the export are read and written on worker threads (BackgroundLoader); a deleted page drops their answers.
//
// Object names: "reportsPage", "runsTable", "thresholdsTable", "thresholdsSummary", "formatCombo", "pathEdit",
// "browseButton", "exportButton", "exportProgress", "exportStatus", "openFileButton", "openFolderButton",
// "exportFileDialog" (a non-modal QFileDialog opened with open()).
class ReportsPage : public QWidget {
    Q_OBJECT
public:
    explicit ReportsPage(AppContext* context, QWidget* parent = nullptr);

    RunListModel* runsModel() const;
    RunTable* runTable() const { return m_table; }
    ThresholdTableModel* thresholdModel() const { return m_thresholds; }
    void refresh();

    void selectRun(qint64 runId);
    qint64 selectedRunId() const;
    void setFormat(ReportFormat format);
    ReportFormat format() const;
    void setExportPath(const QString& path);
    QString exportPath() const;
    void exportReport(); // what the Export button does
    bool isExporting() const { return m_exporting; }
    QString lastWrittenPath() const { return m_lastWritten; }

Q_SIGNALS:
    void runsRefreshed();
    void exportFinished(const QString& path, const QString& error); // error empty = written

protected:
    void changeEvent(QEvent* event) override;

private:
    void onRunsRefreshed();
    void showSelectedRun();
    void exportEnded(const QString& path, const QString& error);
    void formatChanged();
    void browse();
    void updateButtons();
    void setStatus(const QString& text, bool failed);

    AppContext* m_context;
    ThresholdTableModel* m_thresholds;
    RunTable* m_table;
    ReportExporter* m_exporter;
    QLabel* m_runHeader;
    QTableView* m_thresholdTable;
    QLabel* m_thresholdSummary;
    QComboBox* m_format;
    QLineEdit* m_path;
    QPushButton* m_browse;
    QPushButton* m_export;
    QProgressBar* m_progress;
    QLabel* m_status;
    QPushButton* m_openFile;
    QPushButton* m_openFolder;
    QString m_lastWritten;
    qint64 m_shownRunId = 0;
    bool m_exporting = false;
    QString m_exportingPath;
};

} // namespace evs
