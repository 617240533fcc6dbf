"""Accessible charts drawn on the server as SVG, each with its data table.

The first half draws: pure functions that take labels and numbers and return an SVG string
with role="img", a <title> and a <desc>, text labels on every bar and patterns (not colour
alone) to tell series apart. Every label is escaped before the string is marked safe.
The second half turns a Report into the dashboard's charts and their tables.
"""

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache

from babel.dates import format_date
from babel.numbers import format_compact_currency
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as _noop

from indicators.catalogue import BY_CODE, Unit
from indicators.report import Report
from portal.templatetags.portal import babel_locale, current_locale, money, number, percent
from procurement.models import Method

WIDTH = 640
SERIES_FILLS = 3  # solid, hatched, dotted: enough for the three procurement methods
LABEL_CHARS = 30


# --- formatting ---------------------------------------------------------------------------
def format_value(value, unit: str) -> str:
    """A value in its unit for the active language: 40 000,00 $, 12, 28,6 %; None -> —."""
    if unit == Unit.MONEY:
        return money(value)
    if unit == Unit.SHARE:
        return percent(value)
    return number(value)


def format_delta(current, previous, unit: str) -> str:
    """current − previous with its sign; shares in percentage points; '—' when unknown."""
    if current is None or previous is None:
        return "—"
    delta = Decimal(current) - Decimal(previous)
    sign = "+" if delta > 0 else ("−" if delta < 0 else "")
    magnitude = abs(delta)
    if unit == Unit.SHARE:
        return _("%(value)s pts") % {"value": sign + number(magnitude * 100, 1)}
    return sign + format_value(magnitude, unit)


def compact_money(value) -> str:
    """Short amounts for axes and bar ends: 123 k$, 1,2 M$."""
    return format_compact_currency(
        Decimal(value or 0), "CAD", locale=babel_locale(current_locale()), fraction_digits=1
    )


def _shorten(label: str, limit: int = LABEL_CHARS) -> str:
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


def _nice_max(value: float) -> float:
    """The smallest 1, 2, 2.5 or 5 × 10^n at or above value, so axis ticks are round."""
    if value <= 0:
        return 1.0
    magnitude = 10 ** (len(str(int(value))) - 1) if value >= 1 else 1
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    return 10.0 * magnitude


# --- SVG primitives -----------------------------------------------------------------------
_ID = re.compile(r"^[a-z][a-z0-9-]*$")


def _svg(chart_id: str, title: str, description: str, height: int, body: list[str]) -> SafeString:
    if not _ID.match(chart_id):
        raise ValueError(f"chart id must be a simple slug: {chart_id!r}")
    head = (
        f'<svg class="chart" id="{chart_id}" viewBox="0 0 {WIDTH} {height}" '
        f'xmlns="http://www.w3.org/2000/svg" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc">'
        f'<title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>'
    )
    # Every piece of text in body went through escape() or is a number we formatted.
    return mark_safe(head + "".join(body) + "</svg>")  # noqa: S308


def _text(x: float, y: float, content: str, css: str = "", anchor: str = "start") -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" class="{css}">'
        f"{escape(content)}</text>"
    )


def _patterns(chart_id: str) -> str:
    """Fills that differ by texture as well as colour: solid, hatched, dotted."""
    return (
        "<defs>"
        f'<pattern id="{chart_id}-fill-1" width="7" height="7" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)">'
        '<rect width="7" height="7" class="pattern-ground-1"/>'
        '<line x1="0" y1="0" x2="0" y2="7" class="pattern-ink-1"/></pattern>'
        f'<pattern id="{chart_id}-fill-2" width="6" height="6" patternUnits="userSpaceOnUse">'
        '<rect width="6" height="6" class="pattern-ground-2"/>'
        '<circle cx="3" cy="3" r="1.6" class="pattern-ink-2"/></pattern>'
        "</defs>"
    )


def _fill(chart_id: str, index: int) -> str:
    index %= SERIES_FILLS
    if index == 0:
        return 'class="series-0"'
    return f'class="series-{index}" fill="url(#{chart_id}-fill-{index})"'


def stacked_bars(
    *,
    chart_id: str,
    title: str,
    description: str,
    categories: Sequence[str],
    series: Sequence[tuple[str, Sequence]],
    axis_format: Callable = compact_money,
    value_format: Callable = money,
) -> SafeString:
    """Vertical bars, one per category, stacked by series, with a legend and bar totals."""
    left, right, plot_height, bottom = 64, 12, 220, 36
    top = 24 + 22 * len(series)  # one legend line per series, so long names never overlap
    height = top + plot_height + bottom
    plot_width = WIDTH - left - right
    totals = [
        sum((Decimal(values[i] or 0) for _name, values in series), Decimal(0))
        for i in range(len(categories))
    ]
    scale_max = _nice_max(float(max(totals, default=0)))
    body = [_patterns(chart_id)]
    # Legend: a swatch with the series' texture and its name.
    for index, (name, _values) in enumerate(series):
        y = 6 + 22 * index
        body.append(f'<rect x="{left}" y="{y}" width="16" height="16" {_fill(chart_id, index)}/>')
        body.append(_text(left + 24, y + 13, name, "legend"))
    # Axis with four round ticks.
    for tick in range(5):
        tick_value = scale_max * tick / 4
        y = top + plot_height - plot_height * tick / 4
        body.append(
            f'<line x1="{left}" x2="{WIDTH - right}" y1="{y:.1f}" y2="{y:.1f}" class="grid"/>'
        )
        body.append(_text(left - 6, y + 4, axis_format(tick_value), "axis", "end"))
    count = max(len(categories), 1)
    band = plot_width / count
    bar = band * 0.62
    every = 1 if count <= 12 else (count + 11) // 12
    for i, category in enumerate(categories):
        x = left + band * i + (band - bar) / 2
        y = top + plot_height
        for index, (name, values) in enumerate(series):
            value = Decimal(values[i] or 0)
            if value <= 0:
                continue
            h = plot_height * float(value) / scale_max
            y -= h
            body.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{h:.1f}" '
                f"{_fill(chart_id, index)}><title>{escape(category)}, {escape(name)}: "
                f"{escape(value_format(value))}</title></rect>"
            )
        if totals[i] > 0 and count <= 12:
            body.append(_text(x + bar / 2, y - 4, axis_format(totals[i]), "bar-value", "middle"))
        if i % every == 0:
            body.append(_text(x + bar / 2, top + plot_height + 18, category, "axis", "middle"))
    body.append(
        f'<line x1="{left}" x2="{WIDTH - right}" y1="{top + plot_height}" '
        f'y2="{top + plot_height}" class="baseline"/>'
    )
    return _svg(chart_id, title, description, height, body)


def horizontal_bars(
    *,
    chart_id: str,
    title: str,
    description: str,
    items: Sequence[tuple[str, object]],
    value_format: Callable = number,
) -> SafeString:
    """One labelled horizontal bar per item, its value written after it (funnel, breakdowns)."""
    label_width, value_width, row, top = 236, 96, 30, 8
    bar_space = WIDTH - label_width - value_width
    height = top * 2 + row * max(len(items), 1)
    scale_max = max((float(value or 0) for _label, value in items), default=0) or 1.0
    body = []
    for i, (label, value) in enumerate(items):
        y = top + row * i
        w = bar_space * float(value or 0) / scale_max
        shown = value_format(value)
        body.append(_text(label_width - 8, y + row / 2 + 4, _shorten(label), "bar-label", "end"))
        body.append(
            f'<rect x="{label_width}" y="{y + 5}" width="{max(w, 1):.1f}" height="{row - 10}" '
            f'class="series-0"><title>{escape(label)}: {escape(shown)}</title></rect>'
        )
        body.append(_text(label_width + w + 6, y + row / 2 + 4, shown, "bar-value"))
    if not items:
        body.append(
            _text(WIDTH / 2, top + row / 2 + 4, _("No data for this period."), "", "middle")
        )
    return _svg(chart_id, title, description, height, body)


def share_gauge(
    *,
    chart_id: str,
    title: str,
    description: str,
    value: Decimal | None,
    target: Decimal | None = None,
    previous: Decimal | None = None,
) -> SafeString:
    """A 0–100 % track filled to the share, with the target and the previous period marked."""
    left, right, track_y, track_h = 24, 24, 44, 30
    height = track_y + track_h + 46
    width = WIDTH - left - right

    def x_of(share) -> float:
        return left + width * min(max(float(share), 0.0), 1.0)

    body = [f'<rect x="{left}" y="{track_y}" width="{width}" height="{track_h}" class="track"/>']
    if value is None:
        body.append(
            _text(WIDTH / 2, track_y + 20, _("No contracts in this period."), "bar-value", "middle")
        )
    else:
        body.append(
            f'<rect x="{left}" y="{track_y}" width="{x_of(value) - left:.1f}" '
            f'height="{track_h}" class="series-0"/>'
        )
        body.append(_text(left, track_y - 10, _("Actual: %(v)s") % {"v": percent(value)}, "strong"))
    if previous is not None:
        px = x_of(previous)
        body.append(
            f'<line x1="{px:.1f}" x2="{px:.1f}" y1="{track_y}" y2="{track_y + track_h}" '
            'class="marker-previous"/>'
        )
    if target is not None:
        tx = x_of(target)
        body.append(
            f'<line x1="{tx:.1f}" x2="{tx:.1f}" y1="{track_y - 6}" y2="{track_y + track_h + 6}" '
            'class="marker-target"/>'
        )
        anchor = "end" if tx > WIDTH - 140 else "start"
        body.append(
            _text(
                tx + (-4 if anchor == "end" else 4),
                track_y + track_h + 20,
                _("Target: %(v)s") % {"v": percent(target)},
                "strong",
                anchor,
            )
        )
    for tick in (0, 25, 50, 75, 100):
        tx = left + width * tick / 100
        body.append(_text(tx, height - 4, percent(Decimal(tick) / 100, 0), "axis", "middle"))
    return _svg(chart_id, title, description, height, body)


# --- the dashboard's charts ---------------------------------------------------------------
METHOD_CODES = [
    ("ees_spend_open", "open"),
    ("ees_spend_invitation", "invitation"),
    ("ees_spend_direct", "direct"),
]
FUNNEL_CODES = ["ees_registered", "ees_invited", "ees_bidding", "ees_winning"]
# Short names of the funnel's steps for the chart; the table keeps the full labels.
FUNNEL_STEPS = {
    "ees_registered": _noop("Registered SEEs"),
    "ees_invited": _noop("Invited SEEs"),
    "ees_bidding": _noop("SEEs that bid"),
    "ees_winning": _noop("SEEs that won"),
}
BREAKDOWN_CODES = ["ees_spend", "ees_contracts", "ees_winning"]
BREAKDOWN_TOP = 10
# The indicators whose parts a breakdown's chart or table shows (BREAKDOWN_CODES otherwise).
SHOWN_CODES = {
    "month": [code for code, _method in METHOD_CODES],
    "kind": ["activity_participants"],
}


def shown_codes(breakdown: str) -> list[str]:
    """The indicators whose parts the dashboards and the report show for a breakdown."""
    return SHOWN_CODES.get(breakdown, BREAKDOWN_CODES)


@dataclass
class Chart:
    """A chart and the table that carries the same numbers for everyone."""

    id: str
    title: str
    svg: SafeString
    columns: list[str]
    rows: list[list[str]] = field(default_factory=list)
    note: str = ""


def method_labels() -> dict[str, str]:
    return {str(choice.value): str(choice.label) for choice in Method}


def months_of(start: dt.date, end: dt.date) -> list[dt.date]:
    months, month = [], start.replace(day=1)
    while month <= end:
        months.append(month)
        month = (month + dt.timedelta(days=32)).replace(day=1)
    return months


def _value(report: Report | None, code: str):
    if report is None or code not in report.values:
        return None
    return report.values[code].value


def _parts(report: Report | None, code: str) -> dict[str, object]:
    if report is None or code not in report.values:
        return {}
    return {part.key: part for part in report.values[code].parts}


def spend_by_method_chart(month_report: Report | None, *, start: dt.date, end: dt.date) -> Chart:
    """Spend with EÉS by method, month by month (the month breakdown of the three methods)."""
    locale = babel_locale(current_locale())
    months = months_of(start, end)
    pattern = "LLL" if len(months) <= 12 else "LLL yy"
    categories = [format_date(month, pattern, locale=locale) for month in months]
    labels = method_labels()
    series = []
    for code, method in METHOD_CODES:
        parts = _parts(month_report, code)
        values = []
        for month in months:
            part = parts.get(month.strftime("%Y-%m"))
            values.append(part.value if part is not None else None)
        series.append((labels[method], values))
    total = _value(month_report, "ees_spend")
    # Each amount is written twice, in its bar's tooltip and in the table: formatted once.
    amount = cache(money)
    title = _("Spend with SEEs by procurement method, month by month")
    svg = stacked_bars(
        chart_id="chart-spend-methods",
        title=title,
        description=_(
            "Stacked bars: one bar per month, one texture per procurement method "
            "(solid: %(first)s, hatched: %(second)s, dotted: %(third)s). Total: %(total)s."
        )
        % {
            "first": series[0][0],
            "second": series[1][0],
            "third": series[2][0],
            "total": money(total),
        },
        categories=categories,
        series=series,
        value_format=amount,
    )
    rows = []
    for i, month in enumerate(months):
        cells = [format_date(month, "LLLL y", locale=locale)]
        month_total = Decimal(0)
        for _name, values in series:
            cells.append(amount(values[i] or 0))
            month_total += Decimal(values[i] or 0)
        cells.append(amount(month_total))
        rows.append(cells)
    columns = [_("Month"), *[name for name, _values in series], _("Total")]
    return Chart("chart-spend-methods", title, svg, columns, rows)


def funnel_chart(report: Report | None, previous: Report | None) -> Chart:
    """The supplier funnel: registered → invited → bidding → winning (distinct EÉS)."""
    steps = [(_(FUNNEL_STEPS[code]), _value(report, code)) for code in FUNNEL_CODES]
    title = _("The supplier funnel")
    description = _("Horizontal bars, from registered SEEs to winning SEEs: %(steps)s.") % {
        "steps": "; ".join(f"{label} {number(value)}" for label, value in steps)
    }
    svg = horizontal_bars(
        chart_id="chart-funnel", title=title, description=description, items=steps
    )
    rows = [
        [
            BY_CODE[code].label,
            number(_value(report, code)),
            number(_value(previous, code)),
            format_delta(_value(report, code), _value(previous, code), Unit.COUNT),
        ]
        for code in FUNNEL_CODES
    ]
    columns = [_("Step"), _("This period"), _("Previous period"), _("Change vs. previous")]
    note = _("An SEE can count at several steps; the steps are not a strict subset of each other.")
    return Chart("chart-funnel", title, svg, columns, rows, note)


def share_chart(report: Report | None, previous: Report | None, target: Decimal | None) -> Chart:
    """Share of spend going to EÉS against its target."""
    value = _value(report, "ees_spend_share")
    before = _value(previous, "ees_spend_share")
    title = _("Share of purchases from SEEs against the target")
    description = _(
        "Gauge from 0 to 100 %%: actual %(actual)s, target %(target)s, "
        "previous period %(previous)s."
    ) % {
        "actual": percent(value),
        "target": percent(target),
        "previous": percent(before),
    }
    svg = share_gauge(
        chart_id="chart-share",
        title=title,
        description=description,
        value=value,
        target=target,
        previous=before,
    )
    spend = report.values.get("ees_spend_share") if report is not None else None
    rows = [
        [_("This period"), percent(value)],
        [_("Previous period"), percent(before)],
        [_("Target"), percent(target)],
        [_("Value of contracts awarded to SEEs"), money(_value(report, "ees_spend"))],
        [_("Total value of contracts awarded"), money(_value(report, "total_spend"))],
    ]
    if spend is not None and spend.value is None:
        rows.append([_("Note"), _("No contracts were awarded in this period.")])
    return Chart("chart-share", title, svg, [_("Figure"), _("Value")], rows)


BREAKDOWN_HEADERS = {
    "method": _noop("Procurement method"),
    "sector": _noop("Sector"),
    "region": _noop("Region"),
    "organization": _noop("Organization"),
    "month": _noop("Month"),
    "kind": _noop("Activity type"),
}


def breakdown_table(
    report: Report | None, *, breakdown: str, title: str, codes: Sequence[str] = BREAKDOWN_CODES
) -> Chart:
    """Every part of a breakdown for a few indicators, largest spend first (no chart)."""
    parts = {code: _parts(report, code) for code in codes}
    spend = parts.get("ees_spend", {})
    keys = sorted(
        set().union(*[set(code_parts) for code_parts in parts.values()]),
        key=lambda key: (-(getattr(spend.get(key), "value", None) or 0), key),
    )
    methods = method_labels() if breakdown == "method" else {}
    rows = []
    for key in keys:
        label = methods.get(key) or next(
            (p[key].label for p in parts.values() if key in p and p[key].label), key
        )
        cells = [label]
        for code in codes:
            part = parts[code].get(key)
            cells.append(format_value(part.value if part else None, BY_CODE[code].unit))
        rows.append(cells)
    columns = [_(BREAKDOWN_HEADERS[breakdown]), *[BY_CODE[code].label for code in codes]]
    note = _("Counts of distinct SEEs may not add up: one SEE can count in several parts.")
    return Chart(f"table-{breakdown}", title, SafeString(""), columns, rows, note)


def breakdown_chart(report: Report | None, *, breakdown: str, title: str) -> Chart:
    """Spend with EÉS per sector or region: the top parts in a chart, every part in the table."""
    chart = breakdown_table(report, breakdown=breakdown, title=title)
    chart.id = f"chart-{breakdown}"
    spend_parts = _parts(report, "ees_spend")
    keys = sorted(
        spend_parts, key=lambda key: (-(spend_parts[key].value or 0), spend_parts[key].label)
    )
    items = [(spend_parts[key].label or key, spend_parts[key].value) for key in keys]
    if len(items) > BREAKDOWN_TOP:
        rest = sum((Decimal(value or 0) for _label, value in items[BREAKDOWN_TOP:]), Decimal(0))
        items = [*items[:BREAKDOWN_TOP], (_("All others"), rest)]
    description = _("Horizontal bars of the value of contracts awarded to SEEs: %(items)s.") % {
        "items": "; ".join(f"{label} {money(value)}" for label, value in items) or _("no contracts")
    }
    chart.svg = horizontal_bars(
        chart_id=chart.id,
        title=title,
        description=description,
        items=items,
        value_format=compact_money,
    )
    return chart
