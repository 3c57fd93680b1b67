from django.contrib.postgres.operations import UnaccentExtension
from django.db import migrations

from patio.migration_ops import PostgresRunSQL


def refresh_vectors(apps, schema_editor):
    """Done by 0014_vocabulary_names now: the vectors' SQL (members.search, today's code) reads
    the name columns that migration adds, which do not exist yet at this point."""


class Migration(migrations.Migration):
    """Search ignores accents: "nunez" finds "Núñez", "sao paulo" finds "São Paulo".

    unaccent() is only STABLE, so an IMMUTABLE wrapper with a fixed dictionary lets the stored
    vectors and the queries use it alike."""

    dependencies = [("members", "0002_search_indexes")]

    operations = [
        UnaccentExtension(),
        PostgresRunSQL(
            "CREATE OR REPLACE FUNCTION patio_unaccent(text) RETURNS text "
            "LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT "
            "AS $$ SELECT public.unaccent('public.unaccent'::regdictionary, $1) $$",
            "DROP FUNCTION patio_unaccent(text)",
        ),
        migrations.RunPython(refresh_vectors, migrations.RunPython.noop),
    ]
