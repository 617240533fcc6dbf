"""Keep the weighted search vector in the enterprise's row (storage MAIN) instead of the
TOAST table, and rewrite the rows so that it moves there.

With the default storage (EXTENDED), PostgreSQL moves the largest value of a row over
2 kB out of line, and the search vector (about 1 kB) is the largest: every match, count
and rank then read it back from the TOAST table, three to eight buffers instead of one
(measured at 100 000 enterprises: 172 000 buffers to count the 40 000 matches of
"coopérative", 21 600 after). MAIN keeps it inline and lets the long texts (the search
document, the description) go out of line first.

It also adds a covering index for the facet counts without words (see below). A no-op on
SQLite.
"""

from django.db import migrations

FORWARD = [
    "ALTER TABLE directory_enterprise ALTER COLUMN search_vector SET STORAGE MAIN",
    # What the facet counts read of every visible enterprise when no word narrows them (the
    # landing page, filters alone): an index-only scan instead of the whole table (measured
    # at 100 000 enterprises: 3 900 buffers instead of 25 000).
    "CREATE INDEX IF NOT EXISTS directory_enterprise_listing_idx ON directory_enterprise"
    " (status, is_published) INCLUDE (id, region_id, municipality_id, legal_form)",
    # Storage applies to rows as they are written: VACUUM FULL writes every row again (out
    # of line values are brought back and placed by the new storage) and leaves no dead
    # rows behind, as an UPDATE of every row would. It locks the table meanwhile (about a
    # minute at 100 000 enterprises) and cannot run in a transaction: see `atomic`.
    "VACUUM FULL directory_enterprise",
    # VACUUM FULL leaves the visibility map empty: index-only scans need it filled.
    "VACUUM ANALYZE directory_enterprise",
]
BACKWARD = [
    "DROP INDEX IF EXISTS directory_enterprise_listing_idx",
    "ALTER TABLE directory_enterprise ALTER COLUMN search_vector SET STORAGE EXTENDED",
]


def _run_on_postgresql(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement, params=None)

    return run


class Migration(migrations.Migration):
    atomic = False  # VACUUM
    dependencies = [("directory", "0003_offering_categories_index")]

    operations = [
        migrations.RunPython(_run_on_postgresql(FORWARD), _run_on_postgresql(BACKWARD)),
    ]
