# Measurements are written a million at a time: keep only the indexes their readers use.
# The foreign keys' own indexes go (the read index starts with the snapshot; a cohort gets a
# partial index over its few rows). Only the indexes are dropped: the state operations record
# db_index=False without Django re-creating the foreign key constraints.

import django.db.models.deletion
from django.db import migrations, models

FOREIGN_KEY_INDEXES = {
    "snapshot_id": "indicators_measurement_snapshot_id_6c6e42f8",
    "organization_id": "indicators_measurement_organization_id_75cd4765",
    "cohort_id": "indicators_measurement_cohort_id_ab39d5dc",
}


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0001_initial'),
        ('indicators', '0004_target_code_people_trained'),
        ('initiatives', '0002_seed_training_modules'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(
                    f'DROP INDEX IF EXISTS "{name}"',
                    f'CREATE INDEX "{name}" ON "indicators_measurement" ("{column}")',
                )
                for column, name in FOREIGN_KEY_INDEXES.items()
            ],
            state_operations=[
                migrations.AlterField(
                    model_name='measurement',
                    name='cohort',
                    field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='initiatives.cohort', verbose_name='cohort'),
                ),
                migrations.AlterField(
                    model_name='measurement',
                    name='organization',
                    field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='accounts.organization', verbose_name='organization'),
                ),
                migrations.AlterField(
                    model_name='measurement',
                    name='snapshot',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='measurements', to='indicators.snapshot', verbose_name='snapshot'),
                ),
            ],
        ),
        migrations.AddIndex(
            model_name='measurement',
            index=models.Index(condition=models.Q(('cohort__isnull', False)), fields=['cohort'], name='measurement_cohort_idx'),
        ),
    ]
