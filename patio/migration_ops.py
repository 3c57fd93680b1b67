from typing import Any

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor


class PostgresRunSQL(migrations.RunSQL):
    """RunSQL that does nothing on other databases: search indexes exist on PostgreSQL only,
    and the embedded SQLite mode searches without them."""

    # Both directions run their SQL through this one method, so one check covers both.
    def _run_sql(self, schema_editor: BaseDatabaseSchemaEditor, sqls: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            super()._run_sql(schema_editor, sqls)  # type: ignore[misc]  # not in the stubs


def updated_at_from_created_at(app_label: str, *model_names: str) -> migrations.RunPython:
    """Backfill a just-added `updated_at` from `created_at`: the column starts at the time of
    the migration, which would tell a syncing partner that every old row changed just now."""

    def forwards(apps: Any, schema_editor: BaseDatabaseSchemaEditor) -> None:
        from django.db.models import F

        for name in model_names:
            model = apps.get_model(app_label, name)
            model._base_manager.using(schema_editor.connection.alias).update(
                updated_at=F("created_at")
            )

    return migrations.RunPython(forwards, migrations.RunPython.noop, elidable=True)


def taken_from_settled(app_label: str, *pairs: tuple[str, str, str]) -> migrations.RunPython:
    """Backfill a just-added claim column (patio.delivery's `taken`) from the column that was
    both claim and record until now, `(model, taken, settled)`: a row already sent stays settled
    and taken, so nothing old is sent again."""

    def forwards(apps: Any, schema_editor: BaseDatabaseSchemaEditor) -> None:
        from django.db.models import F

        for name, taken, settled in pairs:
            model = apps.get_model(app_label, name)
            model._base_manager.using(schema_editor.connection.alias).filter(
                **{f"{settled}__isnull": False}
            ).update(**{taken: F(settled)})

    return migrations.RunPython(forwards, migrations.RunPython.noop, elidable=True)
