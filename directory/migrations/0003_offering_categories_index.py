"""Facet counts join the matching enterprises to the categories of their offerings: with both
columns in one index, that is an index-only lookup per enterprise instead of a walk through
every offering (measured at 100 000 enterprises: the category facet went from a merge join
over 200 000 offerings to nested index-only lookups). A plain index the model state need not
know about, created the same way on every database."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("directory", "0002_search")]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX directory_offering_enterprise_category_idx"
            " ON directory_offering (enterprise_id, category_id)",
            "DROP INDEX directory_offering_enterprise_category_idx",
        )
    ]
