"""`updated_at` on every model an API list serves, indexed: partners sync with `updated_since`."""

from django.db import migrations, models

from patio.migration_ops import updated_at_from_created_at


class Migration(migrations.Migration):
    dependencies = [
        ("assemblies", "0002_decision_quorum_and_corrections"),
    ]

    operations = [
        migrations.AddField(
            model_name="correction",
            name="updated_at",
            field=models.DateTimeField(auto_now=True, db_index=True),
        ),
        migrations.AddField(
            model_name="decision",
            name="updated_at",
            field=models.DateTimeField(auto_now=True, db_index=True),
        ),
        migrations.AlterField(
            model_name="actionitem",
            name="updated_at",
            field=models.DateTimeField(auto_now=True, db_index=True),
        ),
        migrations.AlterField(
            model_name="agendaitem",
            name="updated_at",
            field=models.DateTimeField(auto_now=True, db_index=True),
        ),
        migrations.AlterField(
            model_name="assembly",
            name="updated_at",
            field=models.DateTimeField(auto_now=True, db_index=True),
        ),
        migrations.AlterField(
            model_name="circleupdate",
            name="updated_at",
            field=models.DateTimeField(auto_now=True, db_index=True),
        ),
        updated_at_from_created_at("assemblies", "Correction", "Decision"),
    ]
