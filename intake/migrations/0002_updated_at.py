"""`updated_at` on every model an API list serves, indexed: partners sync with `updated_since`."""

from django.db import migrations, models

from patio.migration_ops import updated_at_from_created_at


class Migration(migrations.Migration):
    dependencies = [
        ("intake", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="helprequest",
            name="updated_at",
            field=models.DateTimeField(auto_now=True, db_index=True),
        ),
        updated_at_from_created_at("intake", "HelpRequest"),
    ]
