"""Directory search benchmarks: the search page and API (words + region + sector + facets) and
the enterprise list API (a page of 50), each beside the same work in hand-written SQL.

The portal runs as a visitor would use it (signed out: verified, published enterprises) and
with its facet cache emptied before each request: the cache is keyed by the position in the
write-ahead log, which the other databases of a shared server move all the time, so a
cached run would measure luck. The words rotate through `ctx.words`, the same for both sides.

The SQL side is one statement doing the same work as the portal, on the same facet keys kept
in each row: the matches of the words (visible enterprises only), the region and sector
filters (a region counts where an enterprise is located or served; a sector includes its
subsectors), the number of results, the counts of every facet (each filter in use counted
over the results of the other filters), and the page of results sorted the same way, with
what a result shows (region, municipality, sectors, regions served, impacts, offerings and
their categories) as JSON. Without words or filters, both sides read the facet counts from
the facet tally (directory.tally) instead of counting every visible enterprise.
It leaves out what is not data work: the analysis of the words against the vocabulary
(typo correction), templates and serializers.
"""

from itertools import cycle

from django.core.cache import cache
from django.test import Client

from benchmarks.harness import Operation

SEARCH_URL = "/annuaire/"
API_URL = "/api/enterprises/"
PAGE_HTML, PAGE_API, PAGE_LIST = 20, 25, 50

NOTE_SEARCH = (
    "Bounded by visiting the heap row of every visible enterprise matching the words (the GIN "
    "index finds them; visibility, rank, filters and facets need the row): about one page per "
    "match. Filters and facets read the facet keys kept in the row (migration 0005), not the "
    "link tables; ranking reads the weighted vector kept in the row (migration 0004). The "
    "rest is Python: parsing the words, building the page's objects, rendering or "
    "serializing. Facet cache emptied before each run."
)
NOTE_LIST = (
    "No words, no filter: the page is read in name order through the folded-name index "
    "(50 rows and their links); the facet counts are the sums of the facet tally, about "
    "1 400 rows (directory.tally, since H7), kept by triggers on the enterprise table, "
    "instead of about 560 000 keys counted over every visible enterprise. The rest is Python: "
    "representing the page and the facets. Facet cache emptied before each run (the tally "
    "is not a cache: it is read every time)."
)


def _uncached(function):
    def run():
        cache.clear()
        return function()

    return run


# --- The hand-written SQL -------------------------------------------------------------------
# What a result shows, as JSON, for the ids of `page` in its order.
_PAGE_ROWS = """
    (SELECT json_agg(json_build_object(
        'enterprise', to_jsonb(e) - 'search_document' - 'search_vector',
        'region', r.name, 'municipality', m.name, 'primary_sector', ps.name_fr,
        'sectors', (SELECT json_agg(json_build_array(s.code, s.name_fr))
                    FROM directory_enterprise_sectors l
                    JOIN reference_sector s ON s.code = l.sector_id
                    WHERE l.enterprise_id = e.id),
        'regions_served', (SELECT json_agg(json_build_array(sr.code, sr.name))
                           FROM directory_enterprise_regions_served s
                           JOIN reference_region sr ON sr.code = s.region_id
                           WHERE s.enterprise_id = e.id),
        'impacts', (SELECT json_agg(i.impact) FROM directory_enterpriseimpact i
                    WHERE i.enterprise_id = e.id),
        'offerings', (SELECT json_agg(json_build_array(o.name, o.keywords, c.slug, c.name_fr)
                                      ORDER BY o.position, o.name)
                      FROM directory_offering o JOIN reference_category c ON c.id = o.category_id
                      WHERE o.enterprise_id = e.id)
    ) ORDER BY page.ord) FROM page
        JOIN directory_enterprise e ON e.id = page.id
        LEFT JOIN reference_region r ON r.code = e.region_id
        LEFT JOIN reference_municipality m ON m.code = e.municipality_id
        LEFT JOIN reference_sector ps ON ps.code = e.primary_sector_id) AS page
"""
# `flags` marks, for every visible match, the filters it passes: the results pass both, a
# filter's own facet counts the matches passing the other one.
_MATCHING = """
WITH query AS (
    SELECT to_tsquery('simple', string_agg(quote_literal(v.lexeme), ' & ')) AS q
    FROM unnest(to_tsvector('public.french_unaccent'::regconfig, %(text)s)) AS v
),
flags AS MATERIALIZED (
    SELECT e.id, {name} e.region_id, e.municipality_id, e.legal_form,
           e.facet_categories, e.facet_sectors, e.facet_regions, e.facet_impacts,
           {rank} AS rank,
           {in_region} AS in_region,
           {in_sector} AS in_sector
    FROM directory_enterprise e, query
    WHERE e.status = 'verified' AND e.is_published {text_condition}
),
results AS MATERIALIZED (SELECT * FROM flags WHERE in_region AND in_sector),
category_counts AS MATERIALIZED (
    SELECT c.slug, c.parent_id, counts.n FROM (
        SELECT key, count(*) AS n FROM (SELECT unnest(facet_categories) AS key FROM results) k
        GROUP BY key) counts JOIN reference_category c ON c.id = counts.key
),
page AS ({page})
SELECT
    (SELECT count(*) FROM results) AS total,
    (SELECT json_agg(json_build_array(slug, n)) FROM category_counts
        WHERE parent_id IS NULL) AS categories,
    (SELECT json_agg(json_build_array(slug, n)) FROM category_counts
        WHERE parent_id IS NOT NULL) AS subcategories,
    (SELECT json_agg(json_build_array(r.name, counts.n)) FROM (
        SELECT key, count(*) AS n FROM (
            SELECT unnest(CASE WHEN region_id IS NULL OR region_id = ANY(facet_regions)
                          THEN facet_regions ELSE array_append(facet_regions, region_id) END)
                   AS key
            FROM flags WHERE in_sector) k
        GROUP BY key) counts JOIN reference_region r ON r.code = counts.key) AS regions,
    (SELECT json_agg(json_build_array(m.name, counts.n)) FROM (
        SELECT municipality_id, count(*) AS n FROM results
        WHERE municipality_id IS NOT NULL GROUP BY municipality_id) counts
        JOIN reference_municipality m ON m.code = counts.municipality_id) AS municipalities,
    (SELECT json_agg(json_build_array(s.name_fr, counts.n)) FROM (
        SELECT key, count(*) AS n FROM (SELECT unnest(facet_sectors) AS key
                                        FROM flags WHERE in_region) k
        GROUP BY key) counts
        JOIN reference_sector s ON s.code = counts.key AND s.parent_id IS NULL) AS sectors,
    (SELECT json_agg(json_build_array(legal_form, n)) FROM (
        SELECT legal_form, count(*) AS n FROM results GROUP BY legal_form) f) AS legal_forms,
    (SELECT json_agg(json_build_array(key, n)) FROM (
        SELECT key, count(*) AS n FROM (SELECT unnest(facet_impacts) AS key FROM results) k
        GROUP BY key) f) AS impacts,
    {page_rows}
"""
# As hashed subqueries: each link table is read once for all matches.
# The facet keys kept in each row (directory.search): no link table.
_IN_REGION = "(e.region_id = %(region)s OR e.facet_regions && ARRAY[%(region)s]::varchar[])"
_IN_SECTOR = "e.facet_sectors && ARRAY[%(sector)s]::varchar[]"
# With words: the page is sorted by rank among the results already found.
_PAGE_BY_RANK = (
    "SELECT id, row_number() OVER (ORDER BY rank DESC, name, id) AS ord FROM results"
    " ORDER BY rank DESC, name, id LIMIT %(limit)s"
)
# Without words: in folded-name order, through the index on it.
_PAGE_BY_NAME = (
    "SELECT e.id, row_number() OVER (ORDER BY lower(public.portal_unaccent(e.name)), e.id)"
    " AS ord FROM directory_enterprise e"
    " WHERE e.status = 'verified' AND e.is_published"
    " ORDER BY lower(public.portal_unaccent(e.name)), e.id LIMIT %(limit)s"
)


def search_sql(*, text: str = "", region: bool = False, sector: bool = False) -> str:
    """The statement for words (or none) and the region and sector filters (or not)."""
    return _MATCHING.format(
        page_rows=_PAGE_ROWS.strip(),
        rank="ts_rank(e.search_vector, query.q)" if text else "0",
        # Without words the page is read in name order from the index, and every column
        # the counts need is in the covering listing index: no heap visit.
        name="e.name," if text else "",
        text_condition="AND e.search_vector @@ query.q" if text else "",
        in_region=_IN_REGION if region else "TRUE",
        in_sector=_IN_SECTOR if sector else "TRUE",
        page=_PAGE_BY_RANK if text else _PAGE_BY_NAME,
    )


# Without words or filters the counts are the sums of the facet tally (directory.tally), as
# in the portal; the page is read in folded-name order through the index.
_LISTING = """
WITH tally AS MATERIALIZED (
    SELECT facet, key, sum(n) AS n FROM directory_facettally
    GROUP BY facet, key HAVING sum(n) > 0
),
page AS ({page})
SELECT
    (SELECT n FROM tally WHERE facet = '*') AS total,
    (SELECT json_agg(json_build_array(c.slug, t.n)) FROM tally t
        JOIN reference_category c ON t.key = c.id::text
        WHERE t.facet = 'category' AND c.parent_id IS NULL) AS categories,
    (SELECT json_agg(json_build_array(c.slug, t.n)) FROM tally t
        JOIN reference_category c ON t.key = c.id::text
        WHERE t.facet = 'category' AND c.parent_id IS NOT NULL) AS subcategories,
    (SELECT json_agg(json_build_array(r.name, t.n)) FROM tally t
        JOIN reference_region r ON r.code = t.key WHERE t.facet = 'region') AS regions,
    (SELECT json_agg(json_build_array(m.name, t.n)) FROM tally t
        JOIN reference_municipality m ON m.code = t.key
        WHERE t.facet = 'municipality') AS municipalities,
    (SELECT json_agg(json_build_array(s.name_fr, t.n)) FROM tally t
        JOIN reference_sector s ON s.code = t.key AND s.parent_id IS NULL
        WHERE t.facet = 'sector') AS sectors,
    (SELECT json_agg(json_build_array(key, n)) FROM tally
        WHERE facet = 'legal_form') AS legal_forms,
    (SELECT json_agg(json_build_array(key, n)) FROM tally WHERE facet = 'impact') AS impacts,
    {page_rows}
"""


def listing_sql() -> str:
    """The statement for the list without words or filters."""
    return _LISTING.format(page=_PAGE_BY_NAME, page_rows=_PAGE_ROWS.strip())


def _run_sql(ctx, statement: str, params: dict):
    with ctx.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.fetchall()


# --- Operations -----------------------------------------------------------------------------
def operations(ctx) -> list[Operation]:
    visitor = Client(HTTP_HOST="testserver")
    words = list(ctx.words) or ["traiteur"]
    filtered = search_sql(text="x", region=True, sector=True)
    listing = listing_sql()

    def rotating(call):
        turns = cycle(words)
        return lambda: call(next(turns))

    def html(word):
        params = {"q": word, "region": ctx.region_code, "sector": ctx.sector_code}
        return visitor.get(SEARCH_URL, params)

    def api(word):
        params = {"search": word, "region": ctx.region_code, "sector": ctx.sector_code}
        return visitor.get(API_URL, params)

    def sql(limit):
        def run(word):
            params = {
                "text": word,
                "region": ctx.region_code,
                "sector": ctx.sector_code,
                "limit": limit,
            }
            return _run_sql(ctx, filtered, params)

        return run

    return [
        Operation(
            name="Directory search, HTML (text + 2 filters + facets)",
            app=_uncached(rotating(html)),
            sql=rotating(sql(PAGE_HTML)),
            note=NOTE_SEARCH,
        ),
        Operation(
            name="Directory search, API (text + 2 filters + facets)",
            app=_uncached(rotating(api)),
            sql=rotating(sql(PAGE_API)),
            note=NOTE_SEARCH,
        ),
        Operation(
            name="Enterprise list API, page of 50",
            app=_uncached(lambda: visitor.get(API_URL, {"page_size": PAGE_LIST})),
            sql=lambda: _run_sql(ctx, listing, {"text": "", "limit": PAGE_LIST}),
            repeat=20,
            note=NOTE_LIST,
        ),
    ]
