from django.db import migrations

from patio.migration_ops import PostgresRunSQL


class Migration(migrations.Migration):
    # members/0003 makes patio_unaccent(), which the stored vectors are built with.
    dependencies = [("hub", "0001_initial"), ("members", "0003_unaccent_search")]

    operations = [
        PostgresRunSQL(
            "CREATE INDEX hub_guide_search_gin ON hub_guide USING gin (search_vector)",
            "DROP INDEX hub_guide_search_gin",
        ),
        PostgresRunSQL(
            "CREATE INDEX hub_guide_title_trgm ON hub_guide USING gin (title gin_trgm_ops)",
            "DROP INDEX hub_guide_title_trgm",
        ),
    ]
