"""CSV and XLSX exports of every indicator, with its breakdowns, for one scope and period.

One row per indicator total and one per breakdown part. Cells that a spreadsheet would run as
a formula (text starting with = + - @, a tab or a carriage return) are neutralized with a
leading apostrophe in both formats: part labels come from user-entered names.
"""

import csv
import datetime as dt
import io

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from indicators.catalogue import CATALOGUE, Unit
from indicators.report import Report

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
NUMBER_FORMATS = {Unit.MONEY: "#,##0.00", Unit.COUNT: "#,##0", Unit.SHARE: "0.00%"}
WIDTHS = [28, 36, 60, 8, 14, 14, 40, 16, 14, 14, 12, 12, 20]


def columns() -> list[str]:
    return [
        _("scope"),
        _("code"),
        _("indicator"),
        _("unit"),
        _("breakdown"),
        _("key"),
        _("part"),
        _("value"),
        _("numerator"),
        _("denominator"),
        _("period start"),
        _("period end"),
        _("computed at"),
    ]


def neutralize(value):
    """Text a spreadsheet would evaluate becomes inert text; numbers and dates pass."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def rows(reports: dict[str, Report], *, scope_name: str) -> list[list]:
    """Totals first, then each breakdown's parts, indicator by indicator (catalogue order)."""
    first = next(iter(reports.values()))
    computed_at = first.computed_at
    if computed_at is not None and timezone.is_aware(computed_at):
        computed_at = timezone.localtime(computed_at)
    common_end = [first.start, first.end, computed_at]
    out = []
    for indicator in CATALOGUE:
        total = first.values.get(indicator.code)
        head = [scope_name, indicator.code, indicator.label, indicator.unit]
        if total is None:
            continue
        out.append([*head, "", "", "", total.value, total.numerator, total.denominator])
        out[-1].extend(common_end)
        for breakdown, report in reports.items():
            value = report.values.get(indicator.code)
            for part in value.parts if value is not None else []:
                out.append(
                    [
                        *head,
                        breakdown,
                        part.key,
                        part.label,
                        part.value,
                        part.numerator,
                        part.denominator,
                        *common_end,
                    ]
                )
    return out


def _csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(neutralize(value))


def to_csv(table: list[list]) -> bytes:
    """RFC 4180 CSV, comma-separated, UTF-8 with a BOM so Excel reads the accents.

    Numbers keep a decimal point: a French Excel opens them as text, hence the XLSX export.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns())
    for row in table:
        writer.writerow([_csv_cell(value) for value in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _xlsx_cell(value):
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None)  # Excel has no time zones: local time, as on screen
    return neutralize(value)  # decimals stay exact: openpyxl writes them as numbers


def to_xlsx(table: list[list]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Indicators")[:31]
    sheet.append(columns())
    for row in table:
        sheet.append([_xlsx_cell(value) for value in row])
        number_format = NUMBER_FORMATS.get(row[3])  # the unit column
        if number_format:
            sheet.cell(row=sheet.max_row, column=8).number_format = number_format
        sheet.cell(row=sheet.max_row, column=11).number_format = "yyyy-mm-dd"
        sheet.cell(row=sheet.max_row, column=12).number_format = "yyyy-mm-dd"
        sheet.cell(row=sheet.max_row, column=13).number_format = "yyyy-mm-dd hh:mm"
    for index, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
