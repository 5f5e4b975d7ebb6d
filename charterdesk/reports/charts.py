"""Accessible charts, drawn on the server as SVG: the geometry is worked out here and
``reports/_chart.html`` writes it out, with a ``<title>`` and a ``<desc>`` that say in
words what the chart shows. Every chart is shown beside a table of the same figures.

Coordinates are whole numbers, so no template ever writes a localized decimal comma
into an SVG attribute.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from django.utils import formats
from django.utils.translation import gettext as _

#: Okabe and Ito's colours, told apart by people with every common kind of colour blindness.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#999999")
KEPT, MISSED, TARGET = "#1e6b3a", "#b42318", "#1d2330"


@dataclass(frozen=True, slots=True)
class Rect:
    x: int
    y: int
    width: int
    height: int
    fill: str
    label: str  # what a pointer over it is told


@dataclass(frozen=True, slots=True)
class Text:
    x: int
    y: int
    text: str
    anchor: str = "start"  # start | middle | end
    css: str = ""


@dataclass(frozen=True, slots=True)
class Line:
    x1: int
    y1: int
    x2: int
    y2: int
    css: str = "axis"


@dataclass(slots=True)
class Chart:
    id: str
    title: str
    desc: str
    width: int
    height: int
    rects: list[Rect] = field(default_factory=list)
    texts: list[Text] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)
    legend: list[tuple[str, str]] = field(default_factory=list)  # (colour, words)


def percent(share: float | None) -> str:
    if share is None:
        return "–"
    return f"{formats.number_format(share * 100, 0)} %".replace(" %", "%")


def kept_bars(
    chart_id: str, title: str, rows: Sequence[tuple[str, float | None, float | None]]
) -> Chart:
    """One horizontal bar per commitment: (label, share kept, target) each; the target is
    a dark tick across the bar."""
    width, bar, row = 640, 18, 44
    chart = Chart(chart_id, title, "", width, row * len(rows) + 24)
    said = []
    for i, (label, kept, target) in enumerate(rows):
        top = i * row + 8
        chart.texts.append(Text(0, top + 12, label[:90], css="label"))
        length = round((kept or 0) * (width - 60))
        chart.rects.append(Rect(0, top + 18, width - 60, bar, "#eceff3", ""))
        words = _("%(label)s: %(kept)s kept on time") % {"label": label, "kept": percent(kept)}
        if kept is not None:
            chart.rects.append(Rect(0, top + 18, length, bar, KEPT, words))
        chart.texts.append(Text(width - 54, top + 32, percent(kept), css="value"))
        if target is not None:
            x = round(target * (width - 60))
            chart.lines.append(Line(x, top + 14, x, top + 18 + bar + 4, "target"))
            words += _(" (target %(target)s)") % {"target": percent(target)}
        said.append(words)
    chart.desc = "; ".join(said) + "."
    if any(target is not None for _, _, target in rows):
        chart.legend = [(KEPT, _("kept on time")), (TARGET, _("target"))]
    return chart


def trend_columns(
    chart_id: str, title: str, points: Sequence[tuple[str, float | None]], target: float | None
) -> Chart:
    """Share kept per period, oldest first, as columns; an empty period has no column."""
    width, height, top, bottom = 320, 150, 14, 24
    plot = height - top - bottom
    step = width // max(len(points), 1)
    chart = Chart(chart_id, title, "", width, height)
    chart.lines.append(Line(0, top + plot, width, top + plot))
    said = []
    for i, (label, share) in enumerate(points):
        x = i * step + step // 4
        chart.texts.append(Text(x + step // 4, height - 6, label, "middle", "tick"))
        figure = percent(share) if share is not None else _("no cases")
        said.append(f"{label}: {figure}")
        if share is None:
            continue
        h = round(share * plot)
        chart.rects.append(Rect(x, top + plot - h, step // 2, h, KEPT, said[-1]))
        chart.texts.append(
            Text(x + step // 4, top + plot - h - 3, percent(share), "middle", "value")
        )
    if target is not None:
        y = top + plot - round(target * plot)
        chart.lines.append(Line(0, y, width, y, "target"))
        said.append(_("target %(target)s") % {"target": percent(target)})
    chart.desc = "; ".join(said) + "."
    return chart


def stacked_months(
    chart_id: str, title: str, months: Sequence[date], series: Sequence[tuple[str, Sequence[int]]]
) -> Chart:
    """Columns per month, stacked by series (the first six, the rest as "other")."""
    shown = list(series[:6])
    rest = series[6:]
    if rest:
        other = [sum(counts[i] for _, counts in rest) for i in range(len(months))]
        shown.append((_("other causes"), other))
    width, height, top, bottom = 640, 200, 16, 24
    plot = height - top - bottom
    totals = [sum(counts[i] for _, counts in shown) for i in range(len(months))]
    peak = max(totals, default=0) or 1
    step = width // max(len(months), 1)
    chart = Chart(chart_id, title, "", width, height)
    chart.lines.append(Line(0, top + plot, width, top + plot))
    for i, month in enumerate(months):
        x, y = i * step + step // 6, top + plot
        label = str(formats.date_format(month, "M y"))
        chart.texts.append(Text(x + step // 3, height - 6, label, "middle", "tick"))
        for (name, counts), colour in zip(shown, PALETTE, strict=False):
            h = round(counts[i] / peak * plot)
            if counts[i]:
                chart.rects.append(
                    Rect(x, y - h, step * 2 // 3, h, colour, f"{name}, {label}: {counts[i]}")
                )
                y -= h
        if totals[i]:
            chart.texts.append(Text(x + step // 3, y - 3, str(totals[i]), "middle", "value"))
    chart.legend = [(colour, name) for (name, _), colour in zip(shown, PALETTE, strict=False)]
    chart.desc = "; ".join(f"{name}: {sum(counts)}" for name, counts in shown) or _(
        "No causes were recorded."
    )
    return chart


def score_columns(chart_id: str, title: str, distribution: dict[int, int], scale: int) -> Chart:
    """How many answers gave each score, 1 to ``scale``."""
    width, height, top, bottom = 320, 150, 14, 24
    plot = height - top - bottom
    peak = max(distribution.values(), default=0) or 1
    step = width // scale
    chart = Chart(chart_id, title, "", width, height)
    chart.lines.append(Line(0, top + plot, width, top + plot))
    said = []
    for score in range(1, scale + 1):
        n = distribution.get(score, 0)
        x = (score - 1) * step + step // 4
        h = round(n / peak * plot)
        words = _("score %(score)s: %(count)s") % {"score": score, "count": n}
        said.append(words)
        chart.texts.append(Text(x + step // 4, height - 6, str(score), "middle", "tick"))
        if n:
            chart.rects.append(Rect(x, top + plot - h, step // 2, h, PALETTE[0], words))
            chart.texts.append(Text(x + step // 4, top + plot - h - 3, str(n), "middle", "value"))
    chart.desc = "; ".join(said) + "."
    return chart
