"""Search: the vocabulary of search terms (every database) and French full-text search
on PostgreSQL (extensions, an accent-folding text search configuration, a stored weighted
tsvector and the GIN indexes), which is a no-op on SQLite.

`directory_searchterm` is maintained by directory.search (refresh_search_document): one row
per distinct term of the enterprises' search documents, with a word that produced it. The
typo-tolerant search looks unknown query words up there by trigram similarity, which stays
fast at any directory size because the vocabulary grows far slower than the directory.

`directory_enterprise.search_vector` is a column Django does not know about: PostgreSQL
computes it from `search_document` on every write (GENERATED ... STORED), so it can never be
stale, and directory.search reads it through its own expression. Ranking reads the stored
vector; an index on the expression alone would make PostgreSQL re-parse every matching
document to rank it (measured: 4 s instead of 80 ms for 50 000 matches out of 100 000).
"""

from django.db import migrations

SEARCH_TERM_TABLE = [
    (
        "CREATE TABLE directory_searchterm ("
        " term varchar(100) NOT NULL PRIMARY KEY,"
        " example varchar(100) NOT NULL)"
    ),
    "DROP TABLE directory_searchterm",
]

# The search document has three sections separated by a form feed: names (weight A),
# offerings (weight B) and everything else (weight C); see directory.search.
POSTGRES_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS unaccent WITH SCHEMA public",
    "CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public",
    # unaccent() is only STABLE (it reads its dictionary by name): indexes need IMMUTABLE.
    r"""
    CREATE OR REPLACE FUNCTION public.portal_unaccent(text) RETURNS text
        LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
        AS $$ SELECT public.unaccent('public.unaccent'::regdictionary, $1) $$
    """,
    r"""
    DO $$ BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'french_unaccent') THEN
            CREATE TEXT SEARCH CONFIGURATION public.french_unaccent (COPY = pg_catalog.french);
            ALTER TEXT SEARCH CONFIGURATION public.french_unaccent
                ALTER MAPPING FOR hword, hword_part, word WITH public.unaccent, french_stem;
        END IF;
    END $$
    """,
    r"""
    CREATE OR REPLACE FUNCTION public.portal_search_vector(document text) RETURNS tsvector
        LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
        AS $$ SELECT
            setweight(to_tsvector('public.french_unaccent'::regconfig,
                                  split_part($1, E'\f', 1)), 'A')
         || setweight(to_tsvector('public.french_unaccent'::regconfig,
                                  split_part($1, E'\f', 2)), 'B')
         || setweight(to_tsvector('public.french_unaccent'::regconfig,
                                  split_part($1, E'\f', 3)), 'C') $$
    """,
    """
    ALTER TABLE directory_enterprise ADD COLUMN search_vector tsvector
        GENERATED ALWAYS AS (public.portal_search_vector(search_document)) STORED
    """,
    """
    CREATE INDEX directory_enterprise_search_idx
        ON directory_enterprise USING gin (search_vector)
    """,
    # Sorting by name: the database collation may be C, which puts "École" after "Zoo".
    """
    CREATE INDEX directory_enterprise_name_key_idx
        ON directory_enterprise ((lower(public.portal_unaccent(name))), id)
    """,
    # Names containing the words as typed, even French stop words ("À la Fût", "Le Nous").
    """
    CREATE INDEX directory_enterprise_name_trgm_idx ON directory_enterprise
        USING gin ((lower(public.portal_unaccent(name))) public.gin_trgm_ops)
    """,
    """
    CREATE INDEX directory_searchterm_trgm_idx
        ON directory_searchterm USING gin (term public.gin_trgm_ops)
    """,
]

# The extensions stay: other schema objects may have come to use them.
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS directory_searchterm_trgm_idx",
    "DROP INDEX IF EXISTS directory_enterprise_name_trgm_idx",
    "DROP INDEX IF EXISTS directory_enterprise_name_key_idx",
    "DROP INDEX IF EXISTS directory_enterprise_search_idx",
    "ALTER TABLE directory_enterprise DROP COLUMN IF EXISTS search_vector",
    "DROP FUNCTION IF EXISTS public.portal_search_vector(text)",
    "DROP TEXT SEARCH CONFIGURATION IF EXISTS public.french_unaccent",
    "DROP FUNCTION IF EXISTS public.portal_unaccent(text)",
]


def _run_on_postgresql(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("directory", "0001_initial")]

    operations = [
        migrations.RunSQL(*SEARCH_TERM_TABLE),
        migrations.RunPython(
            _run_on_postgresql(POSTGRES_FORWARD), _run_on_postgresql(POSTGRES_BACKWARD)
        ),
    ]
