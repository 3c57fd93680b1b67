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
