"""`updated_at` on every model an API list serves, indexed: partners sync with `updated_since`."""

from django.db import migrations, models

from patio.migration_ops import updated_at_from_created_at


class Migration(migrations.Migration):
    dependencies = [
        ("fund", "0003_contribution_confirmation"),
    ]

    operations = [
        migrations.AddField(
            model_name="budget",
            name="updated_at",
            field=models.DateTimeField(auto_now=True, db_index=True),
        ),
        migrations.AddField(
            model_name="contribution",
            name="updated_at",
            field=models.DateTimeField(auto_now=True, db_index=True),
        ),
        migrations.AddField(
            model_name="pledge",
            name="updated_at",
            field=models.DateTimeField(auto_now=True, db_index=True),
        ),
        migrations.AlterField(
            model_name="ledgerentry",
            name="created_at",
            field=models.DateTimeField(auto_now_add=True, db_index=True),
        ),
        migrations.AlterField(
            model_name="payoutclaim",
            name="updated_at",
            field=models.DateTimeField(auto_now=True, db_index=True),
        ),
        updated_at_from_created_at("fund", "Budget", "Contribution", "Pledge"),
    ]
