from django.db import migrations


class PostgresRunSQL(migrations.RunSQL):
    """RunSQL that does nothing on other databases: search indexes exist on PostgreSQL only,
    and the embedded SQLite mode searches without them."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)
