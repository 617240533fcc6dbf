"""CSV and XLSX exports of enterprises with the columns a user picks.

Spreadsheets run text that starts with =, +, - or @ as a formula (CSV injection), so every
cell goes through `neutralize()`, which prefixes such text with a single quote, in both
formats. Manager contacts are a column only for those allowed to see them.
"""

import csv
import datetime
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def neutralize(value: Any) -> Any:
    """A cell value that no spreadsheet will evaluate: numbers and dates pass unchanged."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float | Decimal | datetime.date):
        return value
    text = str(value)
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


@dataclass(frozen=True)
class Column:
    key: str
    label: Any  # a lazy translation, resolved in the user's language at export time
    value: Callable[[Any], Any]
    default: bool = True
    needs_contacts: bool = False
    # True: `value` reads the exported row itself (a registration, a shortlist entry);
    # False: it reads the row's enterprise.
    on_row: bool = False


def _names(items: Iterable, text: Callable[[Any], str]) -> str:
    return " | ".join(text(item) for item in items)


def _contact(contact) -> str:
    parts = [contact.name, contact.title, contact.email, contact.phone]
    return ", ".join(part for part in parts if part)


ENTERPRISE_COLUMNS = [
    Column("name", _("Name"), lambda e: e.name),
    Column("neq", _("NEQ"), lambda e: e.neq),
    Column("legal_form", _("Legal form"), lambda e: e.get_legal_form_display()),
    Column("region", _("Region"), lambda e: e.region.name if e.region_id else ""),
    Column(
        "municipality",
        _("Municipality"),
        lambda e: e.municipality.name if e.municipality_id else "",
    ),
    Column(
        "sectors",
        _("Sectors"),
        lambda e: _names(e.sectors.all(), lambda s: f"{s.code} {s.name}"),
    ),
    Column("offerings", _("Products and services"), lambda e: _names(e.offerings.all(), str)),
    Column("website", _("Website"), lambda e: e.website),
    Column("email", _("E-mail"), lambda e: e.email),
    Column("phone", _("Phone"), lambda e: e.phone),
    Column(
        "contacts",
        _("Manager contacts"),
        lambda e: _names(e.contacts.all(), _contact),
        default=False,
        needs_contacts=True,
    ),
]

REGISTRATION_COLUMNS = [
    Column("organization", _("Organization"), lambda r: r.organization.name, on_row=True),
    Column("registered_on", _("Registered on"), lambda r: r.registered_on, on_row=True),
    Column("withdrawn_on", _("Withdrawn on"), lambda r: r.withdrawn_on, on_row=True),
]

SHORTLIST_COLUMNS = [Column("note", _("Note on the list"), lambda entry: entry.note, on_row=True)]


def pick_columns(keys: Iterable[str], *, sees_contacts: bool, extra=()) -> list[Column]:
    """The chosen columns in the catalogue's order; contacts dropped for those not allowed."""
    wanted = set(keys)
    return [
        column
        for column in [*ENTERPRISE_COLUMNS, *extra]
        if column.key in wanted and (sees_contacts or not column.needs_contacts)
    ]


def prefetch_for_export(queryset, columns: list[Column], *, prefix: str = ""):
    """Load what the columns read in a fixed number of queries, whatever the row count."""
    keys = {column.key for column in columns}
    related = [f"{prefix}region", f"{prefix}municipality"]
    if prefix:  # "enterprise__" -> the enterprise itself
        related.append(prefix.removesuffix("__"))
    queryset = queryset.select_related(*related)
    prefetch = [f"{prefix}{name}" for name in ("sectors", "offerings", "contacts") if name in keys]
    return queryset.prefetch_related(*prefetch) if prefetch else queryset


def rows_of(items: Iterable, columns: list[Column], *, enterprise_of=None):
    for item in items:
        enterprise = enterprise_of(item) if enterprise_of else item
        yield [
            neutralize(column.value(item if column.on_row else enterprise)) for column in columns
        ]


def _csv_bytes(header: list[str], rows) -> bytes:
    buffer = io.StringIO()
    buffer.write("\ufeff")  # Excel opens UTF-8 correctly only with the byte-order mark
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def _xlsx_cell(value: Any) -> Any:
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


def _xlsx_bytes(header: list[str], rows, sheet_title: str) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=sheet_title[:31] or "export")
    sheet.append(header)
    for row in rows:
        sheet.append([_xlsx_cell(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def export_response(
    *, items: Iterable, columns: list[Column], fmt: str, filename: str, enterprise_of=None
) -> HttpResponse:
    """A downloadable CSV or XLSX file of `items`, one line per item."""
    header = [str(neutralize(str(column.label))) for column in columns]
    rows = rows_of(items, columns, enterprise_of=enterprise_of)
    stamp = timezone.localdate().isoformat()
    if fmt == "csv":
        content = _csv_bytes(header, rows)
    else:
        fmt = "xlsx"
        content = _xlsx_bytes(header, rows, sheet_title=filename)
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}-{stamp}.{fmt}"'
    return response
