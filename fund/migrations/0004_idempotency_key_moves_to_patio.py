# IdempotencyKey now lives in patio (patio/migrations/0001_idempotency_key renames the table).

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("fund", "0003_contribution_confirmation"),
        ("patio", "0002_idempotency_key"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="IdempotencyKey")],
        ),
    ]
