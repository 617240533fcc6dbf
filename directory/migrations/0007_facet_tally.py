"""The facet counts of the published directory, kept as a tally on PostgreSQL (see
directory.tally): the table, the triggers that add a signed row per key for every statement
that writes enterprises, and a first count. The model exists on SQLite too (an empty table).
"""

from django.db import migrations, models

# As directory.tally._KEYS (a migration keeps its own copy): the keys of a row `e`.
KEYS = """
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


def contributions(rows: str, sign: int) -> str:
    return (
        f"SELECT k.facet, k.key, {sign} AS n FROM {rows} e"
        f" CROSS JOIN LATERAL ({KEYS}) AS k(facet, key)"
        " WHERE e.status = 'verified' AND e.is_published AND k.key IS NOT NULL"
    )


# One function for the three triggers; an update adds only the keys whose count it changed.
FUNCTION = f"""
CREATE OR REPLACE FUNCTION directory_facet_tally() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO directory_facettally (facet, key, n)
        SELECT facet, key, sum(n) FROM ({contributions("new_rows", 1)}) d
        GROUP BY facet, key;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO directory_facettally (facet, key, n)
        SELECT facet, key, sum(n) FROM ({contributions("old_rows", -1)}) d
        GROUP BY facet, key;
    ELSE
        INSERT INTO directory_facettally (facet, key, n)
        SELECT facet, key, sum(n) FROM (
            {contributions("new_rows", 1)}
            UNION ALL {contributions("old_rows", -1)}
        ) d GROUP BY facet, key HAVING sum(n) <> 0;
    END IF;
    RETURN NULL;
END
$$
"""
FORWARD = [
    FUNCTION,
    "CREATE TRIGGER directory_facet_tally_insert AFTER INSERT ON directory_enterprise"
    " REFERENCING NEW TABLE AS new_rows"
    " FOR EACH STATEMENT EXECUTE FUNCTION directory_facet_tally()",
    "CREATE TRIGGER directory_facet_tally_update AFTER UPDATE ON directory_enterprise"
    " REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows"
    " FOR EACH STATEMENT EXECUTE FUNCTION directory_facet_tally()",
    "CREATE TRIGGER directory_facet_tally_delete AFTER DELETE ON directory_enterprise"
    " REFERENCING OLD TABLE AS old_rows"
    " FOR EACH STATEMENT EXECUTE FUNCTION directory_facet_tally()",
    "INSERT INTO directory_facettally (facet, key, n) SELECT facet, key, count(*)"
    f" FROM ({contributions('directory_enterprise', 1)}) k GROUP BY facet, key",
]
BACKWARD = [
    "DROP TRIGGER IF EXISTS directory_facet_tally_insert ON directory_enterprise",
    "DROP TRIGGER IF EXISTS directory_facet_tally_update ON directory_enterprise",
    "DROP TRIGGER IF EXISTS directory_facet_tally_delete ON directory_enterprise",
    "DROP FUNCTION IF EXISTS directory_facet_tally()",
]


def _run_on_postgresql(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0006_drop_status_index"),
    ]

    operations = [
        migrations.CreateModel(
            name="FacetTally",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("facet", models.CharField(max_length=20, verbose_name="facet")),
                ("key", models.CharField(max_length=40, verbose_name="key")),
                ("n", models.IntegerField(verbose_name="count")),
            ],
            options={
                "verbose_name": "facet tally",
                "verbose_name_plural": "facet tallies",
            },
        ),
        # The triggers go before the table is dropped when unapplied.
        migrations.RunPython(_run_on_postgresql(FORWARD), _run_on_postgresql(BACKWARD)),
    ]
