from django.db import migrations

from patio.migration_ops import PostgresRunSQL


class Migration(migrations.Migration):
    # members/0002 adds pg_trgm and 0003 patio_unaccent(), which the vectors are built with.
    dependencies = [("casestudies", "0001_initial"), ("members", "0003_unaccent_search")]

    operations = [
        PostgresRunSQL(
            "CREATE INDEX case_study_search_gin ON casestudies_casestudy USING gin (search_vector)",
            "DROP INDEX case_study_search_gin",
        ),
        PostgresRunSQL(
            "CREATE INDEX case_study_title_trgm ON casestudies_casestudy "
            "USING gin (title gin_trgm_ops)",
            "DROP INDEX case_study_title_trgm",
        ),
    ]
