#pragma once

#include "models/core/benchmarkspec.h"
#include "models/core/sample.h"

#include <QDialog>
#include <QVector>

class QComboBox;
class QLabel;
class QPlainTextEdit;
class QSpinBox;
class QTimer;

namespace evs {

class PromptPreviewLoader;
class TemplateSamplesLoader;

class AppContext;

// Edits a workspace benchmark's system prompt and template, rendering a real sample of its dataset live as the
// user types (debounced; rendered off the GUI thread, since few-shot examples may read a file). Unknown
// placeholders and syntax errors are shown, not guessed around. Save writes the benchmark back to the workspace.
// Object names: "templateEditor", "systemEdit", "templateEdit", "placeholderCombo", "sampleSpin", "renderedView",
// "templateErrorLabel", "saveTemplateButton". Properties for tests: "hasError" (bool), "renders" (int: renders
// shown so far), "samplesLoaded" (int).
class TemplateEditor : public QDialog {
    Q_OBJECT
public:
    TemplateEditor(AppContext* context, int benchmarkIndex, QWidget* parent = nullptr);
    ~TemplateEditor() override;

    static constexpr int kSampleCount = 20; // samples offered to render
    static constexpr int kDebounceMs = 200;

    BenchmarkSpec editedSpec() const;

    struct Loaded {
        QVector<Sample> samples;
        QString error;
    };
    struct Rendered {
        QString text;
        QString error;
    };

private:
    void loadSamples();
    void scheduleRender();
    void render();
    void showRendered(const Rendered& r);
    void save();

    AppContext* m_context;
    int m_index;
    BenchmarkSpec m_spec;
    QVector<Sample> m_samples;
    QString m_loadError;
    QPlainTextEdit* m_system;
    QPlainTextEdit* m_template;
    QComboBox* m_placeholders;
    QSpinBox* m_sample;
    QPlainTextEdit* m_rendered;
    QLabel* m_error;
    QTimer* m_debounce;
    TemplateSamplesLoader* m_samplesLoader;
    PromptPreviewLoader* m_previewLoader;
};

} // namespace evs
