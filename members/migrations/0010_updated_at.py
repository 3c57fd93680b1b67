"""`updated_at` on every model an API list serves, indexed: partners sync with `updated_since`."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0009_invitation_token_hash"),
    ]

    operations = [
        migrations.AddField(
            model_name="skill",
            name="updated_at",
            field=models.DateTimeField(auto_now=True, db_index=True),
        ),
        migrations.AlterField(
            model_name="organisation",
            name="updated_at",
            field=models.DateTimeField(auto_now=True, db_index=True),
        ),
        migrations.AlterField(
            model_name="person",
            name="updated_at",
            field=models.DateTimeField(auto_now=True, db_index=True),
        ),
    ]
