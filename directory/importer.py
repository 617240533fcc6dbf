"""Import of enterprises from a CSV file; the format is documented in docs/import-format.md.

The file is read as a stream, in chunks: each chunk is validated row by row, compared with
the enterprises already known by NEQ (one query per chunk), then written with bulk
operations. Everything runs in one transaction that is rolled back when any row is wrong,
so an import is all-or-nothing; a dry run does the same work without writing. Re-importing
the same file changes nothing (idempotent by NEQ): a blank cell never erases a value, and
sectors and offerings are only ever added.
"""

import codecs
import csv
import enum
import functools
import itertools
import operator
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import IntegrityError, connections, transaction
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from directory.forms import phone_validator
from directory.models import (
    Enterprise,
    Offering,
    neq_validator,
    normalize_neq,
    normalize_postal_code,
    postal_code_validator,
)
from directory.tally import compact_facet_tally
from portal.reference.models import Category, Municipality, Region, Sector

CHUNK_SIZE = 1000
MAX_ERRORS_KEPT = 500
BLANKS = {"", "na", "n/a", "null", "none"}
LIST_SEPARATOR = "|"

# Canonical column -> accepted header spellings (compared without case, accents or
# punctuation). The French spellings are those of the Pôle and REQ lists.
COLUMN_ALIASES = {
    "neq": ["neq", "numero entreprise", "numero d'entreprise du quebec"],
    "name": ["name", "nom", "nom entreprise", "raison sociale"],
    "other_names": ["other names", "autres noms"],
    "legal_form": ["legal form", "forme juridique"],
    "region_code": ["region code", "code region", "region"],
    "municipality": ["municipality", "municipalite", "ville"],
    "address": ["address", "adresse"],
    "postal_code": ["postal code", "code postal"],
    "email": ["email", "e-mail", "courriel"],
    "website": ["website", "site web", "site internet"],
    "phone": ["phone", "telephone"],
    "sectors": ["sectors", "scian", "secteurs scian"],
    "categories": ["categories"],
    "offerings": ["offerings", "offres", "produits et services"],
    "description": ["description"],
    "status": ["status", "statut"],
    "published": ["published", "publie", "publiee"],
}
REQUIRED_COLUMNS = ("neq", "name")
LOCATION_COLUMNS = ("region_code", "municipality")
TEXT_LIMITS = {
    "name": 200,
    "address": 255,
    "email": 254,
    "website": 200,
    "phone": 30,
    "other_names": 5000,
    "description": 20000,
}
# Plain Enterprise fields a row may set (blank cells leave them as they are).
PLAIN_FIELDS = (
    "name",
    "other_names",
    "legal_form",
    "region_id",
    "municipality_id",
    "address",
    "postal_code",
    "email",
    "website",
    "phone",
    "description",
)
IMPORTABLE_STATUSES = (
    Enterprise.Status.NOT_SUBMITTED,
    Enterprise.Status.PENDING,
    Enterprise.Status.VERIFIED,
)
# Codes of the Registraire des entreprises (REQ) for social-economy legal forms. The REQ's
# COP does not say which kind of co-operative: "other" until a representative says.
REQ_LEGAL_FORMS = {
    "ape": Enterprise.LegalForm.NONPROFIT,
    "ass": Enterprise.LegalForm.NONPROFIT,
    "obnl": Enterprise.LegalForm.NONPROFIT,
    "osbl": Enterprise.LegalForm.NONPROFIT,
    "cop": Enterprise.LegalForm.OTHER,
    "cooperative": Enterprise.LegalForm.OTHER,
    "mutuelle": Enterprise.LegalForm.MUTUAL,
}


def _checker(validator):
    """A validator with a fast path: a compiled regex first, the validator for the message."""
    pattern = re.compile(validator.regex.pattern, validator.regex.flags)

    def check(value: str) -> None:
        if not pattern.search(value):
            validator(value)

    return check


check_neq = _checker(neq_validator)
check_postal_code = _checker(postal_code_validator)
check_phone = _checker(phone_validator)


def _plainly_valid_first(validator, plain: str, max_length: int):
    """A validator with a fast path: values that match `plain`, an ASCII-only pattern for
    the common shapes that `validator` surely accepts, are not checked again; any other
    value goes to `validator`, so the verdicts and messages stay the validator's."""
    pattern = re.compile(plain, re.ASCII)

    def check(value: str) -> None:
        if len(value) > max_length or not pattern.fullmatch(value):
            validator(value)

    return check


# An ASCII domain name: labels of letters, digits and inner dashes, a top-level domain of letters.
_LABEL = r"[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?"
_DOMAIN = rf"{_LABEL}(?:\.{_LABEL})*\.[a-zA-Z]{{2,63}}"
check_email = _plainly_valid_first(
    EmailValidator(), rf"[a-zA-Z0-9_+-]+(?:\.[a-zA-Z0-9_+-]+)*@{_DOMAIN}", max_length=320
)
# Printable ASCII after the first slash; 253 characters at most, as a host name.
check_url = _plainly_valid_first(
    URLValidator(schemes=["http", "https"]), rf"https?://{_DOMAIN}(?:/[!-~]*)?", max_length=253
)

TRUE_WORDS = {"yes", "oui", "true", "vrai", "1", "y", "o"}
FALSE_WORDS = {"no", "non", "false", "faux", "0", "n"}


@functools.lru_cache(maxsize=8192)  # the same legal forms and towns come back on every line
def simplify(text: str) -> str:
    """Compare names without case, accents or punctuation: 'Trois-Rivières' -> 'trois rivieres'."""
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(char for char in text if not unicodedata.combining(char))
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


def _header_key(title: str) -> str:
    """'NomEntreprise', 'nom_entreprise' and 'Nom entreprise' name the same column."""
    return simplify(title).replace(" ", "")


@functools.lru_cache(maxsize=8192)
def _municipality_key(name: str) -> str:
    # "Saint-Roch-de-Mékinac (Québec)" and "St-Roch-de-Mékinac" find the same municipality.
    name = re.sub(r"\s*\([^)]*\)\s*$", "", name)
    words = simplify(name).split()
    if len(words) > 1 and words[-1] in {"qc", "quebec"}:  # "TROIS-RIVIÈRES QC"
        words = words[:-1]
    expand = {"st": "saint", "ste": "sainte"}
    return " ".join(expand.get(word, word) for word in words)


@dataclass(frozen=True)
class RowError:
    line: int
    column: str
    message: str


@dataclass
class ImportReport:
    """What an import did (or would do): counts, and every problem with its line."""

    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    committed: bool = False
    file_errors: list[str] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0
    ignored_columns: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.file_errors and not self.error_count

    @property
    def problem_count(self) -> int:
        return self.error_count + len(self.file_errors)

    @property
    def more_errors(self) -> int:
        return self.error_count - len(self.errors)

    def add_error(self, line: int, column: str, message: str) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_ERRORS_KEPT:
            self.errors.append(RowError(line, column, message))


@dataclass
class ParsedRow:
    line: int
    neq: str
    values: dict  # plain Enterprise fields present in the row
    sectors: set[str]
    offerings: set[tuple[int, str]]  # (category id, offering name)
    status: str | None
    published: bool | None
    pk: int | None = None  # a new enterprise's id, once reserved


@dataclass(frozen=True)
class _RowLayout:
    """How a new enterprise's row is written (see EnterpriseImporter._new_row_layout)."""

    columns: list[str]
    defaults: dict  # attribute name -> value for the database
    computed: list  # fields whose default is computed for each row (a callable)
    values_of: Callable[[dict], tuple]  # the row, in the order of the columns
    now: object  # the import's time, for the database
    facet_keys: bool  # the row ends with the facet keys (PostgreSQL, see directory.search)


def _array_text(values: list) -> str:
    """A PostgreSQL array as COPY reads it. Given lists, psycopg adapts them element by
    element in Python, which cost more than writing all the other columns of the row."""
    elements = (str(value).replace("\\", "\\\\").replace('"', '\\"') for value in values)
    return "{" + ",".join(f'"{element}"' for element in elements) + "}"


class _FileProblem(Exception):
    """A problem with the whole file (encoding, binary data): nothing can be read further."""


class _Rollback(Exception):
    """Raised inside the transaction to undo a commit that met an error."""


class _Reference:
    """Reference tables, loaded once per import."""

    def __init__(self):
        self.regions = set(Region.objects.values_list("code", flat=True))
        self.municipalities = dict(Municipality.objects.values_list("code", "region_id"))
        self.municipalities_by_name = defaultdict(list)
        for code, name, region in Municipality.objects.values_list("code", "name", "region_id"):
            self.municipalities_by_name[_municipality_key(name)].append((code, region))
        self.sectors = set(Sector.objects.values_list("code", flat=True))
        self.categories = {
            slug: (pk, name)
            for pk, slug, name in Category.objects.values_list("pk", "slug", "name_fr")
        }
        self.legal_forms = dict(REQ_LEGAL_FORMS)
        self.statuses = {}
        for language in ("en", "fr-ca"):
            with translation.override(language):
                for value, label in Enterprise.LegalForm.choices:
                    self.legal_forms[simplify(str(label))] = value
                for value, label in Enterprise.Status.choices:
                    self.statuses[simplify(str(label))] = value
        for value in Enterprise.LegalForm.values:
            self.legal_forms[simplify(value)] = value
        for value in Enterprise.Status.values:
            self.statuses[simplify(value)] = value
        self.statuses.update({"verifiee": "verified", "verifie": "verified"})

    # What new enterprises' search documents read, as text (loaded only when writing).
    @functools.cached_property
    def region_names(self) -> dict[str, str]:
        return dict(Region.objects.values_list("code", "name"))

    @functools.cached_property
    def municipality_names(self) -> dict[str, str]:
        return dict(Municipality.objects.values_list("code", "name"))

    @functools.cached_property
    def sector_names(self) -> dict[str, tuple[str, str]]:
        return {
            code: (french, english)
            for code, french, english in Sector.objects.values_list("code", "name_fr", "name_en")
        }

    @functools.cached_property
    def category_names(self) -> dict[int, tuple[tuple[str, str], tuple[str, ...]]]:
        """Per category: its names, and its parent's names (empty without a parent)."""
        return {
            category.pk: (
                (category.name_fr, category.name_en),
                (category.parent.name_fr, category.parent.name_en) if category.parent_id else (),
            )
            for category in Category.objects.select_related("parent")
        }

    @functools.cached_property
    def legal_form_labels(self) -> dict[str, list[str]]:
        from directory.search import choice_labels

        return {form.value: choice_labels(form) for form in Enterprise.LegalForm}

    # And their facet keys (directory.search.facet_keys).
    @functools.cached_property
    def category_parents(self) -> dict[int, int | None]:
        return dict(Category.objects.values_list("pk", "parent_id"))

    @functools.cached_property
    def sector_parents(self) -> dict[str, str | None]:
        return dict(Sector.objects.values_list("code", "parent_id"))


class EnterpriseImporter:
    def __init__(self, *, by=None):
        self.by = by
        self.now = timezone.now()
        self.by_id = by.pk if by is not None else None
        self.report = ImportReport()
        self._slugs: set[str] | None = None
        self._words_sent: set[str] = set()

    # --- reading ----------------------------------------------------------------------
    def run(self, source, *, commit: bool = False) -> ImportReport:
        """Import from a binary file object (an upload, an open file)."""
        try:
            with transaction.atomic():
                self._import(source, commit=commit)
                if commit and not self.report.ok:
                    raise _Rollback
                if commit:  # each batch added its own rows to the tally: keep one per key
                    compact_facet_tally()
                self.report.committed = commit
        except _Rollback:
            self._nothing_written()
        except IntegrityError:  # someone registered the same NEQ while the import ran
            self.report.file_errors.append(
                _("The directory changed during the import: nothing was imported. Try again.")
            )
            self._nothing_written()
        return self.report

    def _nothing_written(self) -> None:
        self.report.committed = False
        self.report.created = self.report.updated = self.report.unchanged = 0

    @staticmethod
    def _lines(source):
        """Decode line by line, so a wrong byte is reported with its line number."""
        for number, raw in enumerate(source, start=1):
            if number == 1 and raw.startswith(codecs.BOM_UTF8):
                raw = raw[len(codecs.BOM_UTF8) :]
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as error:
                raise _FileProblem(
                    _(
                        "The file is not encoded in UTF-8 (line %(line)s). In your "
                        "spreadsheet, save it as “CSV UTF-8”."
                    )
                    % {"line": number}
                ) from error
            if "\x00" in line:  # a spreadsheet or another binary file, not CSV text
                raise _FileProblem(
                    _("The file is not a CSV text file (line %(line)s holds binary data).")
                    % {"line": number}
                )
            yield line

    def _import(self, source, *, commit: bool) -> None:
        report = self.report
        reader = None
        lines = self._lines(source)
        try:
            first_line = next(lines, "")
            if not first_line.strip():
                report.file_errors.append(_("The file is empty: the first line must be a header."))
                return
            # Spreadsheets in French often save CSV with semicolons.
            delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
            reader = csv.reader(itertools.chain([first_line], lines), delimiter=delimiter)
            columns = self._read_header(next(reader))
            if columns is None:
                return
            self.reference = _Reference()
            seen: dict[str, int] = {}
            # Each record with the line where it ends (a quoted cell may span lines).
            numbered = ((reader.line_num, cells) for cells in reader)
            for chunk in itertools.batched(numbered, CHUNK_SIZE):
                parsed = []
                for line, cells in chunk:
                    if not any(cell.strip() for cell in cells):
                        continue  # blank lines are harmless
                    report.rows += 1
                    row = self._parse(line, cells, columns, seen)
                    if row is not None:
                        parsed.append(row)
                self._apply(parsed, write=commit and report.ok)
        except _FileProblem as problem:
            report.file_errors.append(str(problem))
        except csv.Error:  # e.g. a cell longer than the csv module's limit (128 KB)
            line = reader.line_num if reader else 1
            report.file_errors.append(
                _("The file is not a valid CSV file (line %(line)s).") % {"line": line}
            )

    def _read_header(self, header: list[str]) -> dict[str, int] | None:
        self.header_width = len(header)
        self.titles: dict[str, str] = {}
        spellings = {
            _header_key(alias): column
            for column, aliases in COLUMN_ALIASES.items()
            for alias in aliases
        }
        columns: dict[str, int] = {}
        for index, title in enumerate(header):
            column = spellings.get(_header_key(title))
            if column is None:
                if title.strip():
                    self.report.ignored_columns.append(title.strip())
                continue
            if column in columns:
                self.report.file_errors.append(
                    _("The column “%(column)s” appears twice in the header.") % {"column": column}
                )
                continue
            columns[column] = index
            self.titles[column] = title.strip()
        missing = [column for column in REQUIRED_COLUMNS if column not in columns]
        if not any(column in columns for column in LOCATION_COLUMNS):
            missing.append(" / ".join(LOCATION_COLUMNS))
        if missing:
            self.report.file_errors.append(
                _("Missing columns: %(columns)s. The header row must name them.")
                % {"columns": ", ".join(missing)}
            )
        return None if self.report.file_errors else columns

    # --- one row ----------------------------------------------------------------------
    def _parse(self, line: int, cells: list[str], columns: dict, seen: dict) -> ParsedRow | None:
        ref = self.reference
        errors = []
        filled = {}  # column -> its cell, when not blank
        for column, index in columns.items():
            value = cells[index].strip() if index < len(cells) else ""
            # Only a short cell can be a blank word ("n/a", "none"): casefold never shortens.
            if value and (len(value) > 4 or value.casefold() not in BLANKS):
                filled[column] = value

        def cell(column: str) -> str:
            return filled.get(column, "")

        def error(column: str, message) -> None:
            errors.append((column, str(message)))

        if any(extra.strip() for extra in cells[self.header_width :]):
            error("", _("This line has more cells than the header has columns."))

        neq = cell("neq")
        if not neq.isdigit():  # digits need no normalizing
            neq = normalize_neq(neq) or ""
        if not neq:
            error("neq", _("The NEQ is required."))
        else:
            try:
                check_neq(neq)
            except ValidationError as problem:
                error("neq", problem.messages[0])
            else:
                if neq in seen:
                    error(
                        "neq",
                        _("This NEQ already appears on line %(line)s.") % {"line": seen[neq]},
                    )
                else:
                    seen[neq] = line

        values = {}
        name = cell("name")
        if not name:
            error("name", _("The name is required."))
        else:
            values["name"] = name
        for column in ("other_names", "address", "description"):
            if cell(column):
                values[column] = cell(column)

        legal_form = cell("legal_form")
        if legal_form:
            code = ref.legal_forms.get(simplify(legal_form))
            if code is None:
                error(
                    "legal_form",
                    _("Unknown legal form “%(value)s”. Use one of: %(codes)s.")
                    % {"value": legal_form, "codes": ", ".join(Enterprise.LegalForm.values)},
                )
            else:
                values["legal_form"] = code

        region = cell("region_code")
        if region:
            region = region.zfill(2)
            if region not in ref.regions:
                error(
                    "region_code",
                    _("Unknown region code “%(value)s” (01 to 17).") % {"value": region},
                )
            else:
                values["region_id"] = region
        municipality = cell("municipality")
        if municipality:
            found = self._find_municipality(municipality, values.get("region_id"))
            if isinstance(found, str):
                error("municipality", found)
            else:
                code, municipality_region = found
                values["municipality_id"] = code
                if "region_id" in values and values["region_id"] != municipality_region:
                    error("municipality", _("This municipality is not in the chosen region."))
                values["region_id"] = municipality_region
        if not region and not municipality:
            error("municipality", _("Give a region code or a municipality."))

        postal_code = cell("postal_code")
        if postal_code:
            postal_code = normalize_postal_code(postal_code)
            try:
                check_postal_code(postal_code)
            except ValidationError as problem:
                error("postal_code", problem.messages[0])
            else:
                values["postal_code"] = postal_code
        email = cell("email")
        if email:
            try:
                check_email(email)
            except ValidationError:
                error("email", _("Enter a valid e-mail address."))
            else:
                values["email"] = email.lower()
        website = cell("website")
        if website:
            if "://" not in website:
                website = "https://" + website
            try:
                check_url(website)
            except ValidationError:
                error("website", _("Enter a valid web address."))
            else:
                values["website"] = website
        phone = cell("phone")
        if phone:
            try:
                check_phone(phone)
            except ValidationError as problem:
                error("phone", problem.messages[0])
            else:
                values["phone"] = phone
        for column, limit in TEXT_LIMITS.items():
            if len(values.get(column, "")) > limit:
                error(
                    column,
                    _("At most %(limit)s characters (this one has %(length)s).")
                    % {"limit": limit, "length": len(values[column])},
                )

        sectors = set(
            filter(None, (code.strip() for code in cell("sectors").split(LIST_SEPARATOR)))
        )
        unknown = sorted(sectors - ref.sectors)
        if unknown:
            error("sectors", _("Unknown SCIAN codes: %(codes)s.") % {"codes": ", ".join(unknown)})

        offerings = set()
        for slug in filter(None, (s.strip() for s in cell("categories").split(LIST_SEPARATOR))):
            if slug not in ref.categories:
                error("categories", _("Unknown category “%(value)s”.") % {"value": slug})
            else:
                offerings.add(ref.categories[slug])
        for item in filter(None, (s.strip() for s in cell("offerings").split(LIST_SEPARATOR))):
            slug, _colon, offering_name = item.partition(":")
            slug, offering_name = slug.strip(), offering_name.strip()
            if not offering_name:
                error(
                    "offerings",
                    _("Write each offering as category:name (“%(value)s”).") % {"value": item},
                )
            elif slug not in ref.categories:
                error("offerings", _("Unknown category “%(value)s”.") % {"value": slug})
            elif len(offering_name) > 200:
                error("offerings", _("An offering name has at most 200 characters."))
            else:
                offerings.add((ref.categories[slug][0], offering_name))

        status = None
        if cell("status"):
            status = ref.statuses.get(simplify(cell("status")))
            if status not in IMPORTABLE_STATUSES:
                error(
                    "status",
                    _("Status “%(value)s” cannot be imported. Use one of: %(codes)s.")
                    % {"value": cell("status"), "codes": ", ".join(IMPORTABLE_STATUSES)},
                )
        published = None
        if cell("published"):
            word = simplify(cell("published"))
            if word in TRUE_WORDS:
                published = True
            elif word in FALSE_WORDS:
                published = False
            else:
                error("published", _("Write yes or no."))

        for column, message in errors:
            self.report.add_error(line, self.titles.get(column, column), message)
        if errors:
            return None
        return ParsedRow(line, neq, values, sectors, offerings, status, published)

    def _find_municipality(self, value: str, region: str | None):
        if value.isdigit():
            region_of = self.reference.municipalities.get(value.zfill(5))
            if region_of is None:
                return _("Unknown municipality code “%(value)s”.") % {"value": value}
            return value.zfill(5), region_of
        matches = self.reference.municipalities_by_name.get(_municipality_key(value), [])
        if region and len(matches) > 1:
            matches = [match for match in matches if match[1] == region]
        if not matches:
            return _("Unknown municipality “%(value)s”.") % {"value": value}
        if len(matches) > 1:
            return _(
                "Several municipalities are named “%(value)s”: add the region code or use the "
                "municipality's geographic code."
            ) % {"value": value}
        return matches[0]

    # --- comparing and writing ----------------------------------------------------------
    def _apply(self, rows: list[ParsedRow], *, write: bool) -> None:
        if not rows:
            return
        existing = {
            enterprise.neq: enterprise
            for enterprise in Enterprise.objects.filter(neq__in=[row.neq for row in rows])
        }
        ids = [enterprise.pk for enterprise in existing.values()]
        sectors_of = defaultdict(set)
        for enterprise_id, code in Enterprise.sectors.through.objects.filter(
            enterprise_id__in=ids
        ).values_list("enterprise_id", "sector_id"):
            sectors_of[enterprise_id].add(code)
        offerings_of = defaultdict(set)
        for enterprise_id, category_id, name in Offering.objects.filter(
            enterprise_id__in=ids
        ).values_list("enterprise_id", "category_id", "name"):
            offerings_of[enterprise_id].add((category_id, name))

        new: list[ParsedRow] = []
        changed, changed_fields = [], set()
        # (new row or known enterprise, sector codes to add, offerings to add), in file order.
        links: list[tuple[ParsedRow | Enterprise, set[str], list | set]] = []
        touched: list[Enterprise] = []  # known enterprises whose search text changes
        for row in rows:
            enterprise = existing.get(row.neq)
            if enterprise is None:
                self.report.created += 1
                new.append(row)
                links.append((row, row.sectors, sorted(row.offerings)))
                continue
            fields = self._update_enterprise(enterprise, row)
            if fields is None:
                continue
            add_sectors = row.sectors - sectors_of[enterprise.pk]
            known_offerings = {(c, simplify(n)) for c, n in offerings_of[enterprise.pk]}
            add_offerings = {
                o for o in row.offerings if (o[0], simplify(o[1])) not in known_offerings
            }
            if fields or add_sectors or add_offerings:
                self.report.updated += 1
                if fields:
                    changed.append(enterprise)
                    changed_fields |= fields
                links.append((enterprise, add_sectors, add_offerings))
                touched.append(enterprise)
            else:
                self.report.unchanged += 1
        if not write or not self.report.ok:
            return

        for row, pk in zip(new, self._reserve_ids(Enterprise, len(new)), strict=True):
            row.pk = pk
        # New enterprises go in as plain rows, their search text with them, built from what
        # is in memory: model objects, or reading every new row back, would cost more than
        # all the rest of a large import.
        new_rows = [self._new_enterprise_row(row) for row in new]
        self._insert_rows(Enterprise, self._new_row_layout.columns, new_rows)
        self._record_history(Enterprise, [row.pk for row in new], "+")
        if changed:
            for enterprise in changed:
                enterprise.updated_at = self.now
            fields = sorted(changed_fields | {"updated_at"})
            Enterprise.objects.bulk_update(changed, fields, batch_size=CHUNK_SIZE)
            self._record_history(Enterprise, [enterprise.pk for enterprise in changed], "~")
        # Sector links and offerings are plain rows too.
        through = Enterprise.sectors.through
        self._insert_rows(
            through,
            ["enterprise_id", "sector_id"],
            [(owner.pk, code) for owner, codes, _offerings in links for code in sorted(codes)],
        )
        offerings = [
            (owner.pk, category_id, name)
            for owner, _codes, items in links
            for category_id, name in items
        ]
        ids = self._reserve_ids(Offering, len(offerings))
        self._insert_rows(
            Offering,
            ["id", "enterprise_id", "category_id", "name", "description", "keywords", "position"],
            [(pk, *offering, "", "", 0) for pk, offering in zip(ids, offerings, strict=True)],
        )
        self._record_history(Offering, ids, "+")
        document = self._new_row_layout.columns.index("search_document")
        self._index([row[document] for row in new_rows], [enterprise.pk for enterprise in touched])

    @functools.cached_property
    def _new_row_layout(self) -> _RowLayout:
        """The columns of a new enterprise's row and their values when the file gives none,
        made ready for the database (by Field.get_db_prep_save) once per import."""
        connection = connections[Enterprise.objects.db]
        # Generated columns are the database's to fill.
        fields = [field for field in Enterprise._meta.concrete_fields if not field.generated]
        defaults = {}
        for each in fields:
            default = each.get_default()
            if isinstance(default, enum.Enum):  # a choice's value, not the choice
                default = default.value
            defaults[each.attname] = each.get_db_prep_save(default, connection)
        now = Enterprise._meta.get_field("created_at").get_db_prep_save(self.now, connection)
        facet_keys = connection.vendor == "postgresql"
        return _RowLayout(
            columns=[
                *(field.column for field in fields),
                *(self._search.FACET_KEY_COLUMNS if facet_keys else ()),
            ],
            defaults=defaults,
            computed=[each for each in fields if each.has_default() and callable(each.default)],
            values_of=operator.itemgetter(*(field.attname for field in fields)),
            now=now,
            facet_keys=facet_keys,
        )

    def _new_enterprise_row(self, row: ParsedRow) -> tuple:
        """A new enterprise as a row of `_new_row_layout.columns`. What the file gives is
        text that every database takes as it is; the rest was made ready once."""
        layout = self._new_row_layout
        values = layout.defaults | row.values
        for each in layout.computed:  # none today
            connection = connections[Enterprise.objects.db]
            values[each.attname] = each.get_db_prep_save(each.get_default(), connection)
        values.update(
            self._status_values(row.status or Enterprise.Status.NOT_SUBMITTED, layout.now)
        )
        if row.published:
            values.update(self._publication_values(True, layout.now))
        values.update(
            id=row.pk,
            neq=row.neq,
            slug=self._unique_slug(values["name"]),
            search_document=self._search_document(row, values),
            created_at=layout.now,
            updated_at=layout.now,
        )
        if not layout.facet_keys:
            return layout.values_of(values)
        ref = self.reference
        keys = self._search.facet_keys(
            categories=[(pk, ref.category_parents[pk]) for pk, _name in row.offerings],
            sectors=[(code, ref.sector_parents[code]) for code in row.sectors],
        )
        return layout.values_of(values) + tuple(_array_text(key) for key in keys)

    def _search_document(self, row: ParsedRow, values: dict) -> str:
        """The new enterprise's search text as search.build_search_document writes it (a
        test holds them together), from the row's values instead of model objects. What a
        new enterprise has blank (keywords, mission, impacts…) is not listed: the document
        leaves blank parts out anyway."""
        ref = self.reference
        offerings, details = [], [values["description"]]
        for category_id, name in sorted(row.offerings):
            category_names, parent_names = ref.category_names[category_id]
            offerings += [name, *category_names]
            details += parent_names
        for code in sorted(row.sectors):
            details += ref.sector_names[code]
        details += ref.legal_form_labels[values["legal_form"]]
        if values["municipality_id"]:
            details.append(ref.municipality_names[values["municipality_id"]])
        if values["region_id"]:
            details.append(ref.region_names[values["region_id"]])
        names = [values["name"], values["other_names"], row.neq]
        return self._search.join_search_document(names, offerings, details)

    def _record_history(self, model, ids: list[int], kind: str) -> None:
        """Write django-simple-history's rows for bulk-written objects, copied by the
        database from the rows just written: building a historical object per row in
        Python costs more than the import itself."""
        if not ids:
            return
        history = model.history.model
        connection = connections[model.objects.db]
        quote = connection.ops.quote_name
        written = {field.column for field in model._meta.concrete_fields}
        tracked = ", ".join(
            quote(field.column)
            for field in history._meta.concrete_fields
            if field.column in written
        )
        # Table and column names come from the models; values are parameters.
        insert = (
            f"INSERT INTO {quote(history._meta.db_table)} ({tracked}, history_date, "  # noqa: S608
            "history_change_reason, history_type, history_user_id) "
            f"SELECT {tracked}, %s, NULL, %s, %s FROM {quote(model._meta.db_table)} "
            "WHERE id {ids}"
        )
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":  # one array: no placeholder per id to fill
                cursor.execute(insert.format(ids="= ANY(%s)"), [self.now, kind, self.by_id, ids])
                return
            for batch in itertools.batched(ids, CHUNK_SIZE):
                placeholders = ", ".join(["%s"] * len(batch))
                cursor.execute(
                    insert.format(ids=f"IN ({placeholders})"), [self.now, kind, self.by_id, *batch]
                )

    @staticmethod
    def _insert_rows(model, columns: list[str], rows: list[tuple]) -> None:
        """Rows written without a model object or compiled SQL per row: COPY on PostgreSQL
        (the fastest way in), multi-row INSERTs elsewhere."""
        if not rows:
            return
        connection = connections[model.objects.db]
        quote = connection.ops.quote_name
        table = quote(model._meta.db_table)
        names = ", ".join(quote(column) for column in columns)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                with cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
                return
            per_statement = min(
                CHUNK_SIZE, (connection.features.max_query_params or 32766) // len(columns)
            )
            placeholders = "(" + ", ".join(["%s"] * len(columns)) + ")"
            for batch in itertools.batched(rows, per_statement):
                cursor.execute(
                    f"INSERT INTO {table} ({names}) VALUES "  # noqa: S608 - model names
                    + ", ".join([placeholders] * len(batch)),
                    [value for row in batch for value in row],
                )

    @staticmethod
    def _reserve_ids(model, count: int) -> list[int]:
        """Ids for new rows, taken before the insert: the sector links and offerings of a
        new enterprise are written with its id, and history rows are copied by id."""
        if not count:
            return []
        table = model._meta.db_table
        connection = connections[model.objects.db]
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                    [table, count],
                )
                return [row[0] for row in cursor.fetchall()]
            # SQLite: the import's transaction holds the write lock, so nobody else takes
            # these ids; sqlite_sequence remembers ids of deleted rows, never reused.
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {connection.ops.quote_name(table)}")  # noqa: S608
            highest = cursor.fetchone()[0]
            cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
            row = cursor.fetchone()
            start = max(highest, row[0] if row else 0) + 1
            return list(range(start, start + count))

    def _update_enterprise(self, enterprise: Enterprise, row: ParsedRow) -> set[str] | None:
        """Changed field names (empty: nothing to change), or None when the row is refused."""
        fields = set()
        for name, value in row.values.items():
            if getattr(enterprise, name) != value:
                setattr(enterprise, name, value)
                fields.add(name)
        if row.status and row.status != enterprise.status:
            if not enterprise.can_move_to(row.status):
                self.report.add_error(
                    row.line,
                    self.titles.get("status", "status"),
                    _("Cannot move from “%(old)s” to “%(new)s”.")
                    % {
                        "old": enterprise.get_status_display(),
                        "new": Enterprise.Status(row.status).label,
                    },
                )
                return None
            changes = self._status_values(row.status, self.now)
        else:
            changes = {}
        if row.published is not None and row.published != enterprise.is_published:
            changes |= self._publication_values(row.published, self.now)
        for attname, value in changes.items():
            setattr(enterprise, attname, value)
        return fields | changes.keys()

    # What an import sets with a status or a publication, by attribute name; `now` is the
    # time as the caller writes it (a datetime, or already prepared for the database).
    def _status_values(self, status: str, now) -> dict:
        if status == Enterprise.Status.PENDING:
            return {"status": status, "submitted_at": now}
        if status == Enterprise.Status.VERIFIED:
            return {"status": status, "status_decided_by_id": self.by_id, "status_decided_at": now}
        return {"status": status}

    def _publication_values(self, published: bool, now) -> dict:
        # Publishing through an import: the coordinator attests that consent was obtained.
        return {
            "is_published": published,
            "publication_consent_at": now if published else None,
            "publication_consent_by_id": self.by_id if published else None,
        }

    def _unique_slug(self, name: str) -> str:
        if self._slugs is None:
            self._slugs = set(Enterprise.objects.values_list("slug", flat=True))
        base = slugify(name)[:200] or "entreprise"
        slug, n = base, 2
        while slug in self._slugs:
            slug, n = f"{base}-{n}", n + 1
        self._slugs.add(slug)
        return slug

    @functools.cached_property
    def _search(self):
        # Imported late: the search module belongs to the public side and imports models.
        from directory import search

        return search

    def _index(self, documents: list[str], changed_ids: list[int]) -> None:
        """Search vocabulary of the new enterprises; search text of the changed ones."""
        # A word met in an earlier batch already gave its terms: only new words are sent.
        words = self._search.vocabulary_words(documents) - self._words_sent
        self._words_sent |= words
        self._search.add_words_to_vocabulary(words)
        if changed_ids:
            self._search.refresh_search_documents(changed_ids)
