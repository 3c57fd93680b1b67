from django.db import migrations
from django.db.models import OuterRef, Subquery


def mark_tombstones(apps, schema_editor):
    """People erased before `Person.erased_at` existed are tombstones too: hide them as well."""
    Person = apps.get_model("members", "Person")
    Erasure = apps.get_model("privacy", "Erasure")
    erased = Erasure.objects.filter(person=OuterRef("pk")).values("erased_at")[:1]
    Person.objects.filter(pk__in=Erasure.objects.values("person")).update(
        erased_at=Subquery(erased)
    )


class Migration(migrations.Migration):
    dependencies = [
        ("privacy", "0001_initial"),
        ("members", "0010_person_erased_at"),
    ]

    operations = [migrations.RunPython(mark_tombstones, migrations.RunPython.noop)]
