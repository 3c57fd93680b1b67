from django.db import migrations

from patio.migration_ops import PostgresRunSQL


class Migration(migrations.Migration):
    dependencies = [("discussions", "0001_initial"), ("members", "0002_search_indexes")]

    operations = [
        PostgresRunSQL(
            "CREATE INDEX discussion_search_gin ON discussions_thread USING gin (search_vector)",
            "DROP INDEX discussion_search_gin",
        ),
        PostgresRunSQL(
            "CREATE INDEX discussion_title_trgm ON discussions_thread "
            "USING gin (title gin_trgm_ops)",
            "DROP INDEX discussion_title_trgm",
        ),
    ]
