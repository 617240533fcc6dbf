"""The facet counts of the whole directory as visitors see it, kept as a tally (PostgreSQL).

Without words or filters, the facets count every published EÉS: at 100 000 enterprises that
is about 560 000 facet keys to unnest and group (230–290 ms), for the page that every
visitor lands on and for the API's plain list. The tally keeps those counts ready.

`directory_facettally` (`FacetTally`) holds signed rows (facet, key, n): the counts are the
sums per facet and key. Triggers on the enterprise table (migration 0007, which keeps its
own copy of `_KEYS`) add, for every statement that
writes enterprises, one row per key whose count the statement changed: +1 for each key of a
published EÉS it inserted or made visible, -1 for each key of one it removed, hid or changed.
The keys are those the facets count (`directory.search`'s facet keys, the municipality,
the legal form; a region where an enterprise is located or that it serves), and the key
`('*', '')` counts the enterprises.

Nothing is ever updated in place, so writers never wait for each other, and a reader sums
the rows its snapshot sees: exactly the counts of the data it sees. `compact_facet_tally()`
replaces the rows by their sums (a periodic task and each import do it), so the tally stays
at about one row per key. A writer that skips triggers (the data set generator, which loads
with `session_replication_role = replica`) calls `rebuild_facet_tally()`.
`facet_tally_differences()` compares the tally with a count of the enterprise table, for
the tests and for checking a database. SQLite counts the long way and has no tally.
"""

from django.db import connections

TABLE = "directory_facettally"
# The keys of a row `e` of the enterprise table, if it is a published EÉS: one per line.
_KEYS = """
    SELECT '*', ''
    UNION ALL SELECT 'category', unnest(e.facet_categories)::text
    UNION ALL SELECT 'region', unnest(CASE WHEN e.region_id IS NULL
        OR e.region_id = ANY(e.facet_regions) THEN e.facet_regions
        ELSE array_append(e.facet_regions, e.region_id) END)
    UNION ALL SELECT 'municipality', e.municipality_id
    UNION ALL SELECT 'sector', unnest(e.facet_sectors)
    UNION ALL SELECT 'legal_form', e.legal_form
    UNION ALL SELECT 'impact', unnest(e.facet_impacts)
"""


def contributions(rows: str, sign: int = 1) -> str:
    """SQL: (facet, key, n) for each key of each published EÉS in `rows` (a table name),
    n being `sign`."""
    return (
        f"SELECT k.facet, k.key, {sign} AS n FROM {rows} e"  # noqa: S608 - constants
        f" CROSS JOIN LATERAL ({_KEYS}) AS k(facet, key)"
        " WHERE e.status = 'verified' AND e.is_published AND k.key IS NOT NULL"
    )


def _is_postgresql(using: str) -> bool:
    return connections[using].vendor == "postgresql"


def compact_facet_tally(using: str = "default") -> int:
    """Replace the tally's rows by one row per key with their sum; the number of rows left.

    Concurrent writers go on adding rows (never blocked), and readers see the same sums before
    and after: the rows deleted and their sums are committed together."""
    if not _is_postgresql(using):
        return 0
    with connections[using].cursor() as cursor:
        cursor.execute(
            f"WITH gone AS (DELETE FROM {TABLE} RETURNING facet, key, n)"  # noqa: S608 - constant
            f" INSERT INTO {TABLE} (facet, key, n)"
            " SELECT facet, key, sum(n) FROM gone GROUP BY facet, key HAVING sum(n) <> 0"
        )
        return cursor.rowcount


def rebuild_facet_tally(using: str = "default") -> int:
    """Count the tally again from the enterprise table (after writes that skipped the
    triggers); the number of keys."""
    if not _is_postgresql(using):
        return 0
    with connections[using].cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE}")  # noqa: S608 - constant
        cursor.execute(
            f"INSERT INTO {TABLE} (facet, key, n) SELECT facet, key, count(*)"  # noqa: S608
            f" FROM ({contributions('directory_enterprise')}) k GROUP BY facet, key"
        )
        return cursor.rowcount


def facet_tally_differences(using: str = "default") -> list[tuple[str, str, int, int]]:
    """(facet, key, tally, count) wherever the tally differs from a count of the enterprise
    table: none, if every writer does its part."""
    if not _is_postgresql(using):
        return []
    with connections[using].cursor() as cursor:
        cursor.execute(
            "SELECT facet, key, COALESCE(t.n, 0), COALESCE(c.n, 0) FROM"  # noqa: S608
            f" (SELECT facet, key, sum(n) AS n FROM {TABLE} GROUP BY facet, key) t"
            " FULL JOIN (SELECT facet, key, count(*) AS n"
            f" FROM ({contributions('directory_enterprise')}) k GROUP BY facet, key) c"
            " USING (facet, key)"
            " WHERE COALESCE(t.n, 0) <> COALESCE(c.n, 0) ORDER BY facet, key"
        )
        return cursor.fetchall()
