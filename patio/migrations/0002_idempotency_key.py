# The fund's IdempotencyKey becomes every POST's (patio.idempotency): the table is renamed and
# kept with its rows, so a key sent before the upgrade still replays after it.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("patio", "0001_heartbeat"),
        ("fund", "0003_contribution_confirmation"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(
                    "ALTER TABLE fund_idempotencykey RENAME TO patio_idempotencykey",
                    reverse_sql="ALTER TABLE patio_idempotencykey RENAME TO fund_idempotencykey",
                )
            ],
            state_operations=[
                migrations.CreateModel(
                    name="IdempotencyKey",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("key", models.CharField(max_length=255)),
                        ("endpoint", models.CharField(max_length=300)),
                        ("request_hash", models.CharField(max_length=64)),
                        ("response_status", models.PositiveSmallIntegerField(default=0)),
                        ("response_body", models.JSONField(blank=True, null=True)),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        (
                            "actor",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("actor", "endpoint", "key"),
                                name="one_idempotency_key_per_actor_endpoint",
                            )
                        ],
                    },
                ),
            ],
        ),
        migrations.AddField(
            model_name="idempotencykey",
            name="response_location",
            field=models.CharField(blank=True, max_length=500),
        ),
    ]
