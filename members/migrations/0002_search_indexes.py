from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

from patio.migration_ops import PostgresRunSQL


class Migration(migrations.Migration):
    dependencies = [("members", "0001_initial")]

    operations = [
        TrigramExtension(),
        PostgresRunSQL(
            "CREATE INDEX org_search_gin ON members_organisation USING gin (search_vector)",
            "DROP INDEX org_search_gin",
        ),
        PostgresRunSQL(
            "CREATE INDEX org_name_trgm ON members_organisation USING gin (name gin_trgm_ops)",
            "DROP INDEX org_name_trgm",
        ),
        PostgresRunSQL(
            "CREATE INDEX person_search_gin ON members_person USING gin (search_vector)",
            "DROP INDEX person_search_gin",
        ),
        PostgresRunSQL(
            "CREATE INDEX person_name_trgm ON members_person USING gin (display_name gin_trgm_ops)",
            "DROP INDEX person_name_trgm",
        ),
    ]
