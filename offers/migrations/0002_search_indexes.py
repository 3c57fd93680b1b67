from django.db import migrations

from patio.migration_ops import PostgresRunSQL


class Migration(migrations.Migration):
    dependencies = [("offers", "0001_initial"), ("members", "0002_search_indexes")]

    operations = [
        PostgresRunSQL(
            "CREATE INDEX offer_search_gin ON offers_post USING gin (search_vector)",
            "DROP INDEX offer_search_gin",
        ),
        PostgresRunSQL(
            "CREATE INDEX offer_title_trgm ON offers_post USING gin (title gin_trgm_ops)",
            "DROP INDEX offer_title_trgm",
        ),
    ]
