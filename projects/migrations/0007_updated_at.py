"""`updated_at` on every model an API list serves, indexed: partners sync with `updated_since`."""

from django.db import migrations, models

from patio.migration_ops import updated_at_from_created_at


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0006_team_role_skill_weight_help"),
    ]

    operations = [
        migrations.AddField(
            model_name="teammembership",
            name="updated_at",
            field=models.DateTimeField(auto_now=True, db_index=True),
        ),
        migrations.AddField(
            model_name="teamrole",
            name="updated_at",
            field=models.DateTimeField(auto_now=True, db_index=True),
        ),
        migrations.AlterField(
            model_name="opportunity",
            name="updated_at",
            field=models.DateTimeField(auto_now=True, db_index=True),
        ),
        migrations.AlterField(
            model_name="project",
            name="updated_at",
            field=models.DateTimeField(auto_now=True, db_index=True),
        ),
        updated_at_from_created_at("projects", "TeamMembership"),
    ]
