from django.db import migrations

from patio.migration_ops import PostgresRunSQL


class Migration(migrations.Migration):
    # members/0002 adds pg_trgm and 0003 patio_unaccent(), which the vectors are built with.
    dependencies = [("catalogue", "0001_initial"), ("members", "0003_unaccent_search")]

    operations = [
        PostgresRunSQL(
            "CREATE INDEX software_search_gin ON catalogue_software USING gin (search_vector)",
            "DROP INDEX software_search_gin",
        ),
        PostgresRunSQL(
            "CREATE INDEX software_name_trgm ON catalogue_software USING gin (name gin_trgm_ops)",
            "DROP INDEX software_name_trgm",
        ),
    ]
