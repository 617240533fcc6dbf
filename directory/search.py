"""French full-text search over enterprises.

The search document (`Enterprise.search_document`) is denormalized text in three sections
separated by a form feed, so that matches rank by where they are found:

1. names: legal name, other names, NEQ (weight A);
2. offerings: names, keywords and categories (weight B);
3. the rest: mission, description, sectors, legal form, place, impacts… (weight C).

`refresh_search_document()` rebuilds it and is called by every service that changes what an
enterprise is found by; `refresh_search_documents()` does the same for many at once. Both also
record the document's terms in the search vocabulary (`directory_searchterm`), where a query
word that matches nothing is corrected by trigram similarity ("tratieur" -> "traiteur").

PostgreSQL matches the stored, weighted tsvector `search_vector` (computed by the database
from the document, see migration 0002) against the query with the `french_unaccent`
configuration: accents, case and plurals do not matter. SQLite, the embedded default, matches
accent- and case-folded word prefixes through two Python functions registered on each
connection, after a light French plural stemming of the query.
"""

import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import reduce
from operator import and_, or_

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.lookups import Overlap
from django.contrib.postgres.search import SearchQueryField, SearchVectorField
from django.db import connections, transaction
from django.db.backends.signals import connection_created
from django.db.models import (
    BigIntegerField,
    BooleanField,
    Case,
    CharField,
    Expression,
    F,
    FloatField,
    Func,
    Prefetch,
    Q,
    TextField,
    When,
)
from django.db.models import Value as V
from django.db.models.expressions import Col
from django.db.models.functions import Cast
from django.db.models.lookups import Contains
from django.utils import translation
from django.utils.functional import cached_property

from directory.models import Enterprise, Impact, Offering

SECTION = "\f"
MAX_QUERY_LENGTH = 200
MAX_QUERY_WORDS = 8
MIN_TERM_LENGTH = 3  # shorter words are not worth a vocabulary row
MAX_TERM_LENGTH = 100  # the vocabulary's column width
CORRECTABLE_LENGTH = 4  # trigram similarity is noise on shorter words
SIMILARITY_THRESHOLD = 0.3  # pg_trgm's default
BATCH_SIZE = 500

_WORD = re.compile(r"[^\W_]+")  # letters and digits
# What the French configuration drops on PostgreSQL, for the SQLite analyzer.
_STOPWORDS = frozenset(
    "a au aux avec ce ces d dans de des du elle en et il je l la le les leur lui ma mais me "  # noqa: SIM905
    "meme mes moi mon ne nos notre nous on ou par pas pour qu que qui s sa se ses son sur ta "
    "te tes toi ton tu un une vos votre vous y".split()
)


# --- Text normalization (Python side) --------------------------------------------------
def fold(text: str | None) -> str:
    """Lower case without accents: 'Économie' -> 'economie', 'Œuvre' -> 'oeuvre'."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return bare.replace("œ", "oe").replace("Œ", "oe").replace("æ", "ae").replace("Æ", "ae").lower()


def words_of(text: str | None) -> list[str]:
    return _WORD.findall((text or "").lower())


def light_stem(word: str) -> str:
    """French plural to singular, roughly: 'traiteurs' -> 'traiteur', 'locaux' -> 'local'."""
    if len(word) > 4 and word.endswith("aux"):
        return word[:-3] + "al"
    if len(word) > 3 and word[-1] in "sx":
        return word[:-1]
    return word


def trigram_similarity(a: str, b: str) -> float:
    """pg_trgm's similarity() for single words, for SQLite."""

    def trigrams(word: str) -> set[str]:
        padded = f"  {word} "
        return {padded[i : i + 3] for i in range(len(padded) - 2)}

    left, right = trigrams(a), trigrams(b)
    return len(left & right) / len(left | right) if left and right else 0.0


# --- The search document ----------------------------------------------------------------
def choice_labels(choice) -> list[str]:
    """A choice's label in French and in English, so both languages find it."""
    with translation.override("fr-ca"):
        french = str(choice.label)
    with translation.override("en"):
        english = str(choice.label)
    return [french, english] if french != english else [french]


def build_search_document(enterprise: Enterprise) -> str:
    """The search text of an enterprise (reads prefetched relations when present)."""
    names = [enterprise.name, enterprise.other_names, enterprise.neq or ""]
    offerings: list[str] = []
    details = [enterprise.mission, enterprise.description]
    for offering in enterprise.offerings.all():
        category = offering.category
        offerings += [offering.name, offering.keywords, category.name_fr, category.name_en]
        details.append(offering.description)
        if category.parent_id:
            details += [category.parent.name_fr, category.parent.name_en]
    for sector in enterprise.sectors.all():
        details += [sector.name_fr, sector.name_en]
    details += choice_labels(Enterprise.LegalForm(enterprise.legal_form))
    for impact in enterprise.impacts.all():
        details += choice_labels(Impact(impact.impact))
    if enterprise.municipality_id:
        details.append(enterprise.municipality.name)
    if enterprise.region_id:
        details.append(enterprise.region.name)
    details.append(enterprise.certifications)
    details += [achievement.title for achievement in enterprise.achievements.all()]
    return join_search_document(names, offerings, details)


def join_search_document(names: list[str], offerings: list[str], details: list[str]) -> str:
    """The three sections as one text, one part a line; blank parts are left out."""
    sections = (names, offerings, details)
    return SECTION.join(
        "\n".join(part.replace(SECTION, " ") for part in section if part) for section in sections
    )


def _with_search_relations(queryset):
    return queryset.select_related("municipality", "region").prefetch_related(
        Prefetch("offerings", Offering.objects.select_related("category__parent")),
        "sectors",
        "impacts",
        "achievements",
    )


def refresh_search_document(enterprise: Enterprise) -> None:
    """Rebuild one enterprise's search document from the database, and its vocabulary."""
    fresh = _with_search_relations(Enterprise.objects.filter(pk=enterprise.pk)).first()
    if fresh is None:
        return
    document = build_search_document(fresh)
    with transaction.atomic():
        _write_search_documents([(enterprise.pk, document)])
        _add_to_vocabulary([document])
    enterprise.search_document = document


def refresh_search_documents(enterprise_ids: Iterable[int] | None = None) -> int:
    """Rebuild the search documents of many enterprises (all when None), in batches."""
    ids = list(
        Enterprise.objects.order_by("pk").values_list("pk", flat=True)
        if enterprise_ids is None
        else enterprise_ids
    )
    for start in range(0, len(ids), BATCH_SIZE):
        batch = _with_search_relations(
            Enterprise.objects.filter(pk__in=ids[start : start + BATCH_SIZE])
        )
        enterprises = list(batch)
        for enterprise in enterprises:
            enterprise.search_document = build_search_document(enterprise)
        with transaction.atomic():
            _write_search_documents([(e.pk, e.search_document) for e in enterprises])
            _add_to_vocabulary(enterprise.search_document for enterprise in enterprises)
    return len(ids)


# --- Facet keys (PostgreSQL) --------------------------------------------------------------
# On PostgreSQL each enterprise row also keeps, in four array columns the model does not know
# (migration 0005), the keys its links give to the facets: the categories it offers and their
# parents, its sectors and their parents, the regions it serves, its impacts. Counting the
# facets of a search then reads the rows the words matched and nothing else, instead of
# joining four link tables to every match (measured at 100 000 enterprises: the region and
# sector counts alone took 90 ms of a 190 ms statement). The arrays are rewritten from the
# link tables with the search document, in the same UPDATE (one new row version, not two);
# bulk writers that COPY new rows give them `facet_keys()` instead.
FACET_KEY_COLUMNS = ("facet_categories", "facet_sectors", "facet_regions", "facet_impacts")
_FACET_KEY_SQL = {
    "facet_categories": (
        "ARRAY(SELECT DISTINCT k.id FROM directory_offering o"
        " JOIN reference_category c ON c.id = o.category_id"
        " CROSS JOIN LATERAL (VALUES (c.id), (c.parent_id)) AS k(id)"
        " WHERE o.enterprise_id = e.id AND k.id IS NOT NULL ORDER BY k.id)"
    ),
    "facet_sectors": (
        "ARRAY(SELECT DISTINCT k.code FROM directory_enterprise_sectors l"
        " JOIN reference_sector s ON s.code = l.sector_id"
        " CROSS JOIN LATERAL (VALUES (s.code), (s.parent_id)) AS k(code)"
        " WHERE l.enterprise_id = e.id AND k.code IS NOT NULL ORDER BY k.code)"
    ),
    "facet_regions": (
        "ARRAY(SELECT DISTINCT r.region_id FROM directory_enterprise_regions_served r"
        " WHERE r.enterprise_id = e.id ORDER BY r.region_id)"
    ),
    "facet_impacts": (
        "ARRAY(SELECT DISTINCT i.impact FROM directory_enterpriseimpact i"
        " WHERE i.enterprise_id = e.id ORDER BY i.impact)"
    ),
}
_FACET_KEYS_FROM_LINKS = ", ".join(
    f"{column} = {_FACET_KEY_SQL[column]}" for column in FACET_KEY_COLUMNS
)


def facet_keys(*, categories=(), sectors=(), regions_served=(), impacts=()) -> tuple[list, ...]:
    """The four arrays of an enterprise, in `FACET_KEY_COLUMNS` order, for writers that COPY
    rows: `categories` as (id, parent id) pairs, `sectors` as (code, parent code) pairs."""
    return (
        sorted({key for pair in categories for key in pair if key is not None}),
        sorted({key for pair in sectors for key in pair if key is not None}),
        sorted(set(regions_served)),
        sorted(set(impacts)),
    )


def _write_search_documents(documents: list[tuple[int, str]], using: str = "default") -> None:
    """Store (id, document) pairs; on PostgreSQL the facet keys too, in the same UPDATE."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        rows = [Enterprise(pk=pk, search_document=document) for pk, document in documents]
        Enterprise.objects.using(using).bulk_update(rows, ["search_document"])
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE directory_enterprise e SET search_document = d.document, "  # noqa: S608
            f"{_FACET_KEYS_FROM_LINKS} FROM unnest(%s::bigint[], %s::text[]) AS d(id, document)"
            " WHERE e.id = d.id",
            [[pk for pk, _d in documents], [document for _pk, document in documents]],
        )


def refresh_facet_keys(enterprise_ids: Iterable[int] | None = None, using: str = "default") -> int:
    """Rewrite the facet keys of enterprises (all when None) from the link tables."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return 0
    sql = f"UPDATE directory_enterprise e SET {_FACET_KEYS_FROM_LINKS}"  # noqa: S608
    params = []
    if enterprise_ids is not None:
        sql, params = sql + " WHERE e.id = ANY(%s)", [list(enterprise_ids)]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


class _FacetKeys(Expression):
    """One of the facet key arrays of the enterprise table (unknown to the model)."""

    def __init__(self, column: str):
        super().__init__()
        self.column = column

    @cached_property
    def output_field(self):
        element = BigIntegerField() if self.column == "facet_categories" else CharField()
        field = ArrayField(element)
        field.set_attributes_from_name(self.column)
        field.model = Enterprise
        return field

    def resolve_expression(self, query=None, *args, **kwargs):
        return Col(query.get_initial_alias(), self.output_field)


def has_facet_key(column: str, values) -> Q:
    """PostgreSQL: enterprises whose `column` array holds one of the values (the keys hold
    parents too, so a category or sector includes its children)."""
    keys = _FacetKeys(column)
    return Q(Overlap(keys, Cast(V(list(values)), keys.output_field)))


def stale_facet_keys(using: str = "default") -> list[int]:
    """The enterprises whose stored facet keys differ from their links (none, if every
    writer does its part): for tests and for checking a database."""
    if connections[using].vendor != "postgresql":
        return []
    differs = " OR ".join(
        f"{column} IS DISTINCT FROM {_FACET_KEY_SQL[column]}" for column in FACET_KEY_COLUMNS
    )
    with connections[using].cursor() as cursor:
        cursor.execute(f"SELECT e.id FROM directory_enterprise e WHERE {differs} ORDER BY e.id")  # noqa: S608
        return [row[0] for row in cursor.fetchall()]


# --- The vocabulary ---------------------------------------------------------------------
_PG_ADD_TERMS = """
    INSERT INTO directory_searchterm (term, example)
    SELECT DISTINCT ON (v.lexeme) v.lexeme, w.word
    FROM unnest(%s::text[]) AS w(word)
    CROSS JOIN LATERAL unnest(to_tsvector('public.french_unaccent'::regconfig, w.word)) AS v
    WHERE length(v.lexeme) BETWEEN 3 AND 100
    ORDER BY v.lexeme, length(w.word), w.word
    ON CONFLICT (term) DO NOTHING
"""


def vocabulary_words(documents: Iterable[str]) -> set[str]:
    """The words of documents that are worth a vocabulary row."""
    words = set()
    for document in documents:
        words.update(words_of(document))
    return {
        word
        for word in words
        if MIN_TERM_LENGTH <= len(word) <= MAX_TERM_LENGTH and not word.isdigit()
    }


def _add_to_vocabulary(documents: Iterable[str], using: str = "default") -> None:
    add_words_to_vocabulary(vocabulary_words(documents), using)


def add_words_to_vocabulary(words: Iterable[str], using: str = "default") -> None:
    """Record the terms of words (see vocabulary_words), each with a word that gave it as
    its example; terms already known keep theirs."""
    words = sorted(words)
    if not words:
        return
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(_PG_ADD_TERMS, [words])
            return
        rows = {}
        for word in words:
            term = light_stem(fold(word))
            if term not in _STOPWORDS and len(term) >= MIN_TERM_LENGTH:
                rows.setdefault(term, word)
        cursor.executemany(
            "INSERT INTO directory_searchterm (term, example) VALUES (%s, %s) "
            "ON CONFLICT (term) DO NOTHING",
            sorted(rows.items()),
        )


# --- Queries ----------------------------------------------------------------------------
@dataclass(frozen=True)
class Correction:
    typed: str  # the word as typed
    suggested: str  # a word of the directory it was taken for


@dataclass(frozen=True)
class ParsedSearch:
    """A query as terms: every group must match, any term of a group may."""

    text: str
    groups: tuple[tuple[str, ...], ...] = ()
    corrections: tuple[Correction, ...] = ()
    phrase: str = ""  # the words folded, when names must also be matched as typed

    def __bool__(self) -> bool:
        return bool(self.groups or self.phrase)

    @property
    def tsquery(self) -> str:
        """The groups as to_tsquery('simple', …) text (terms are already lexemes)."""

        def quote(term: str) -> str:
            return "'" + term.replace("\\", "\\\\").replace("'", "''") + "'"

        return " & ".join(
            "(" + " | ".join(quote(term) for term in group) + ")" for group in self.groups
        )


_PG_ANALYZE = """
    SELECT w.word, v.lexeme, k.known,
           CASE WHEN k.known OR length(v.lexeme) < %s OR v.lexeme ~ '^[0-9]+$' THEN NULL ELSE (
               SELECT json_agg(json_build_array(s.term, s.example, s.score)
                               ORDER BY s.score DESC, s.term)
               FROM (SELECT t.term, t.example, similarity(t.term, v.lexeme) AS score
                     FROM directory_searchterm t
                     WHERE t.term %% v.lexeme
                     ORDER BY score DESC, t.term
                     LIMIT 3) AS s
           ) END
    FROM unnest(%s::text[]) WITH ORDINALITY AS w(word, ord)
    CROSS JOIN LATERAL unnest(to_tsvector('public.french_unaccent'::regconfig, w.word)) AS v
    CROSS JOIN LATERAL (
        SELECT EXISTS (SELECT 1 FROM directory_searchterm t WHERE t.term = v.lexeme) AS known
    ) AS k
    ORDER BY w.ord
"""


def _query_words(text: str) -> list[str]:
    words = []
    for word in words_of(text[:MAX_QUERY_LENGTH]):
        if word not in words:
            words.append(word)
    return words[:MAX_QUERY_WORDS]


def _close_candidates(candidates: list[tuple[str, str, float]]) -> list[tuple[str, str]]:
    """The best candidates, and those nearly as good: (term, example) pairs."""
    if not candidates:
        return []
    best = max(score for _term, _example, score in candidates)
    ranked = sorted(candidates, key=lambda c: (-c[2], c[0]))
    return [(term, example) for term, example, score in ranked if score >= best - 0.1][:3]


def parse_query(text: str | None, using: str = "default") -> ParsedSearch:
    """Turn what the user typed into terms, correcting words the directory does not know."""
    text = " ".join((text or "").split())[:MAX_QUERY_LENGTH]
    words = _query_words(text)
    if not words:
        return ParsedSearch(text)
    connection = connections[using]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(_PG_ANALYZE, [CORRECTABLE_LENGTH, words])
            rows = [
                (word, lexeme, known, [tuple(c) for c in (similar or [])])
                for word, lexeme, known, similar in cursor.fetchall()
            ]
    else:
        rows = _sqlite_analyze(connection, words)
    groups: list[tuple[str, ...]] = []
    corrections = []
    for word, term, known, similar in rows:
        close = [] if known else _close_candidates(similar)
        group = (term, *(candidate for candidate, _example in close if candidate != term))
        if group not in groups:
            groups.append(group)
        if close:
            corrections.append(Correction(word, close[0][1]))
    # A word the analysis dropped is a French stop word ("fût", "été", "nous"); it may still
    # be what a name is made of: then names are also matched on the words as typed.
    analyzed = {row[0] for row in rows}
    phrase = ""
    if not groups or any(word not in analyzed for word in words):
        phrase = " ".join(_WORD.findall(fold(text)))
        phrase = phrase if len(phrase) >= MIN_TERM_LENGTH else ""
    return ParsedSearch(text, tuple(groups), tuple(corrections), phrase)


def _sqlite_analyze(connection, words: list[str]):
    terms = []
    for word in words:
        folded = fold(word)
        if folded not in _STOPWORDS:
            terms.append((word, light_stem(folded)))
    if not terms:
        return []
    with connection.cursor() as cursor:
        placeholders = ", ".join(["%s"] * len(terms))
        cursor.execute(
            f"SELECT term FROM directory_searchterm WHERE term IN ({placeholders})",  # noqa: S608
            [term for _word, term in terms],
        )
        known = {row[0] for row in cursor.fetchall()}
        rows = []
        for word, term in terms:
            is_known = term in known
            similar = []
            if not is_known and len(term) >= CORRECTABLE_LENGTH and not term.isdigit():
                cursor.execute(
                    "SELECT term, example FROM directory_searchterm "
                    "WHERE length(term) BETWEEN %s AND %s",
                    [len(term) - 2, len(term) + 2],
                )
                scored = [
                    (candidate, example, trigram_similarity(term, candidate))
                    for candidate, example in cursor.fetchall()
                ]
                similar = [c for c in scored if c[2] >= SIMILARITY_THRESHOLD]
            rows.append((word, term, is_known, similar))
    return rows


# --- Expressions --------------------------------------------------------------------------
def _install_sqlite_functions(connection) -> None:
    raw = connection.connection
    raw.create_function("portal_fold", 1, _sql_fold, deterministic=True)
    raw.create_function("portal_rank", 2, _sql_rank, deterministic=True)


def _on_connection_created(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        _install_sqlite_functions(connection)


connection_created.connect(_on_connection_created, dispatch_uid="directory.search.sqlite")


def _sql_fold(text):
    """SQLite: the words of a text, folded, each preceded by a space (word-prefix LIKE)."""
    if text is None:
        return None
    return "".join(f" {word}" for word in _WORD.findall(fold(text)))


def _sql_rank(document, groups_json):
    """SQLite: 4 points per query group found in the names, 2 in offerings, 1 elsewhere."""
    if not document:
        return 0.0
    sections = [_sql_fold(section) for section in document.split(SECTION)]
    score = 0.0
    for group in json.loads(groups_json):
        needles = [f" {term}" for term in group]
        for weight, section in zip((4.0, 2.0, 1.0), sections, strict=False):
            if any(needle in section for needle in needles):
                score += weight
                break
    return score


class Folded(Func):
    """Text folded for comparison and sorting: no accents, lower case."""

    output_field = TextField()

    def as_postgresql(self, compiler, connection, **extra):
        return super().as_sql(
            compiler, connection, template="lower(public.portal_unaccent(%(expressions)s))"
        )

    def as_sqlite(self, compiler, connection, **extra):
        connection.ensure_connection()
        _install_sqlite_functions(connection)
        return super().as_sql(compiler, connection, function="portal_fold")

    def as_sql(self, compiler, connection, **extra):
        return super().as_sql(compiler, connection, function="LOWER")


class _SearchVector(Expression):
    """The `search_vector` column PostgreSQL generates (unknown to the model)."""

    output_field = SearchVectorField()

    def resolve_expression(self, query=None, *args, **kwargs):
        field = SearchVectorField()
        field.set_attributes_from_name("search_vector")
        field.model = Enterprise
        return Col(query.get_initial_alias(), field)


class _TsQuery(Func):
    template = "to_tsquery('simple'::regconfig, %(expressions)s)"
    output_field = SearchQueryField()


class _Matches(Func):
    template = "(%(expressions)s)"
    arg_joiner = " @@ "
    output_field = BooleanField()


class _SqliteRank(Func):
    function = "portal_rank"
    output_field = FloatField()

    def as_sqlite(self, compiler, connection, **extra):
        connection.ensure_connection()
        _install_sqlite_functions(connection)
        return super().as_sql(compiler, connection, **extra)


def _vendor(queryset) -> str:
    return connections[queryset.db].vendor


class _NameStartsWords(Func):
    """The folded name has the phrase at the start of a word ("ete" in "Été durable", not in
    "Vêtements"); on PostgreSQL a regular expression the trigram index of names serves."""

    output_field = BooleanField()

    def __init__(self, phrase: str):
        super().__init__(Folded(F("name")), V(phrase))

    def as_postgresql(self, compiler, connection, **extra):
        name, phrase = self.get_source_expressions()
        return Func(
            name, V(r"\m" + phrase.value), template="(%(expressions)s)", arg_joiner=" ~ "
        ).as_sql(compiler, connection)

    def as_sql(self, compiler, connection, **extra):
        name, phrase = self.get_source_expressions()
        return Contains(name, f" {phrase.value}").as_sql(compiler, connection)


def filter_matching(queryset, search: ParsedSearch):
    """Enterprises whose document matches every group of the query, or whose name contains
    the query as typed (French stop words, such as "fût" or "été", can be names)."""
    if not search:
        return queryset
    if _vendor(queryset) == "postgresql":
        conditions = []
        if search.groups:
            conditions.append(Q(_Matches(_SearchVector(), _TsQuery(V(search.tsquery)))))
    else:
        folded = Folded(F("search_document"))
        conditions = (
            [
                reduce(
                    and_,
                    (
                        reduce(or_, (Q(Contains(folded, f" {term}")) for term in group))
                        for group in search.groups
                    ),
                )
            ]
            if search.groups
            else []
        )
    if search.phrase:
        conditions.append(Q(_NameStartsWords(search.phrase)))
    return queryset.filter(reduce(or_, conditions))


def relevance(queryset, search: ParsedSearch) -> Expression:
    """How well each enterprise matches: names first, then offerings, then the rest."""
    if _vendor(queryset) == "postgresql":
        rank = (
            Func(
                _SearchVector(),
                _TsQuery(V(search.tsquery)),
                function="ts_rank",
                output_field=FloatField(),
            )
            if search.groups
            else V(0.0)
        )
        bonus = 1.0  # ts_rank gives at most 1 per matching name word
    else:
        rank = _SqliteRank(F("search_document"), V(json.dumps(search.groups)))
        bonus = 4.0 * max(len(search.groups), 1)
    if not search.phrase:
        return rank
    return rank + Case(
        When(_NameStartsWords(search.phrase), then=V(bonus)),
        default=V(0.0),
        output_field=FloatField(),
    )
