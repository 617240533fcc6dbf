"""Keep each enterprise's facet keys in its row, on PostgreSQL (see directory.search).

Four arrays: the categories offered and their parents, the sectors and their parents, the
regions served, the impacts. Facet counts then read the rows the words matched and no link
table. They are filled here from the link tables, then the table is rewritten (VACUUM FULL)
so that the update leaves no dead row versions behind. A no-op on SQLite.
"""

from django.db import migrations

# As directory.search._FACET_KEY_SQL (a migration keeps its own copy).
KEYS = {
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

FORWARD = [
    "ALTER TABLE directory_enterprise"
    " ADD COLUMN IF NOT EXISTS facet_categories bigint[] NOT NULL DEFAULT '{}',"
    " ADD COLUMN IF NOT EXISTS facet_sectors varchar(5)[] NOT NULL DEFAULT '{}',"
    " ADD COLUMN IF NOT EXISTS facet_regions varchar(2)[] NOT NULL DEFAULT '{}',"
    " ADD COLUMN IF NOT EXISTS facet_impacts varchar(30)[] NOT NULL DEFAULT '{}'",
    "UPDATE directory_enterprise e SET "
    + ", ".join(f"{column} = {sql}" for column, sql in KEYS.items())
    + " WHERE EXISTS (SELECT 1 FROM directory_offering o WHERE o.enterprise_id = e.id)"
    " OR EXISTS (SELECT 1 FROM directory_enterprise_sectors l WHERE l.enterprise_id = e.id)"
    " OR EXISTS (SELECT 1 FROM directory_enterprise_regions_served r"
    " WHERE r.enterprise_id = e.id)"
    " OR EXISTS (SELECT 1 FROM directory_enterpriseimpact i WHERE i.enterprise_id = e.id)",
    # The facet counts without words (the landing page, the list) read every visible
    # enterprise: the covering index of migration 0004 now carries the keys too, so that
    # they are still read from the index alone.
    "DROP INDEX IF EXISTS directory_enterprise_listing_idx",
    "CREATE INDEX directory_enterprise_listing_idx ON directory_enterprise"
    " (status, is_published) INCLUDE (id, region_id, municipality_id, legal_form,"
    " facet_categories, facet_sectors, facet_regions, facet_impacts)",
    # The update wrote a second version of (nearly) every row: write the table again, once.
    "VACUUM FULL directory_enterprise",
    "VACUUM ANALYZE directory_enterprise",
]
BACKWARD = [
    "DROP INDEX IF EXISTS directory_enterprise_listing_idx",
    "CREATE INDEX directory_enterprise_listing_idx ON directory_enterprise"
    " (status, is_published) INCLUDE (id, region_id, municipality_id, legal_form)",
    "ALTER TABLE directory_enterprise DROP COLUMN IF EXISTS facet_categories,"
    " DROP COLUMN IF EXISTS facet_sectors, DROP COLUMN IF EXISTS facet_regions,"
    " DROP COLUMN IF EXISTS facet_impacts",
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
    dependencies = [("directory", "0004_search_vector_inline")]

    operations = [
        migrations.RunPython(_run_on_postgresql(FORWARD), _run_on_postgresql(BACKWARD)),
    ]
