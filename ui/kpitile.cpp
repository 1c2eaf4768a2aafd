#include "ui/kpitile.h"

#include "models/core/metricdefinitions.h"

#include <QLabel>
#include <QVBoxLayout>

#include <cmath>

using namespace Qt::StringLiterals;

namespace evs {

KpiTile::KpiTile(const QString& title, const QString& definition, QWidget* parent)
    : QFrame(parent)
    , m_title(new QLabel(title, this))
    , m_number(new QLabel(kAbsentFigure.toString(), this))
    , m_caption(new QLabel(this))
    , m_definition(definition)
    , m_value(std::nan(""))
{
    setFrameShape(QFrame::StyledPanel);
    setAutoFillBackground(true);
    setBackgroundRole(QPalette::Base);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 4, 8, 4);
    layout->setSpacing(0);
    QFont small = m_title->font();
    small.setPointSizeF(small.pointSizeF() * 0.85);
    m_title->setFont(small);
    m_title->setForegroundRole(QPalette::PlaceholderText);
    QFont big = m_number->font();
    big.setPointSizeF(big.pointSizeF() * 1.6);
    big.setBold(true);
    m_number->setFont(big);
    m_number->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_caption->setFont(small);
    m_caption->setForegroundRole(QPalette::PlaceholderText);
    layout->addWidget(m_title);
    layout->addWidget(m_number);
    layout->addWidget(m_caption);
    setToolTip(m_definition);
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed);
}

void KpiTile::setValue(double value, const QString& text, const QString& caption)
{
    m_number->setText(text);
    m_caption->setText(caption);
    const bool changed = !(value == m_value || (std::isnan(value) && std::isnan(m_value)));
    m_value = value;
    if (changed)
        Q_EMIT valueChanged(value);
}

QString KpiTile::text() const
{
    return m_number->text();
}

QString KpiTile::caption() const
{
    return m_caption->text();
}

void KpiTile::clearValue()
{
    setValue(std::nan(""), kAbsentFigure.toString());
    setDetails({});
}

void KpiTile::setDetails(const QString& details)
{
    const QString tip = details.isEmpty() ? m_definition : m_definition + u"\n\n"_s + details;
    if (tip != toolTip())
        setToolTip(tip);
}

} // namespace evs
