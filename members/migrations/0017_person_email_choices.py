"""One choice per kind of event email (now, daily, weekly, never) replaces the opportunities'
choice and the list of kinds turned off: every existing value is carried over."""

from django.db import migrations, models

OPPORTUNITIES = "opportunities"


def carry_over(apps, schema_editor):
    Person = apps.get_model("members", "Person")
    people = Person.objects.exclude(opportunity_notifications="now", email_opt_outs=[])
    for person in people.only("pk", "opportunity_notifications", "email_opt_outs").iterator():
        choices = {kind: "never" for kind in person.email_opt_outs or [] if isinstance(kind, str)}
        if person.opportunity_notifications in ("weekly", "never"):
            choices[OPPORTUNITIES] = person.opportunity_notifications
        if choices:
            Person.objects.filter(pk=person.pk).update(email_choices=choices)


def carry_back(apps, schema_editor):
    Person = apps.get_model("members", "Person")
    for person in Person.objects.exclude(email_choices={}).only("pk", "email_choices").iterator():
        choices = dict(person.email_choices or {})
        opportunities = choices.pop(OPPORTUNITIES, "now")
        Person.objects.filter(pk=person.pk).update(
            # A daily digest did not exist: the nearest is the weekly one.
            opportunity_notifications="weekly" if opportunities == "daily" else opportunities,
            email_opt_outs=sorted(kind for kind, choice in choices.items() if choice == "never"),
        )


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0016_organisation_country_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="person",
            name="email_choices",
            field=models.JSONField(
                blank=True, default=dict, verbose_name="how I get each kind of email"
            ),
        ),
        migrations.RunPython(carry_over, carry_back),
        migrations.RemoveField(model_name="person", name="email_opt_outs"),
        migrations.RemoveField(model_name="person", name="opportunity_notifications"),
    ]
