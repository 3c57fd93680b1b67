"""`manage.py seed_demo`: the demo network `make run` loads, and the big one benchmarks use."""

from __future__ import annotations

import io
import zoneinfo

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, Q
from django.utils import translation

from accounts.models import User
from members import vocabulary
from members.demo import demo_plan
from members.models import (
    Language,
    Organisation,
    Person,
    PersonLanguage,
    PersonSkill,
    Sector,
    Skill,
    SkillCategory,
)
from members.search import search_organisations, search_people

DEMO_PASSWORD = "patio-demo-2026"
DEMO_ACCOUNTS = ["admin@patio.example", "coordinator@patio.example", "member@patio.example"]


# The demo is seeded once for the module: under pytest-xdist its tests stay on one worker.
pytestmark = pytest.mark.xdist_group("members-demo")


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo network, seeded once for this module and rolled back at its end."""
    with django_db_blocker.unblock(), transaction.atomic():
        out = io.StringIO()
        call_command("seed_demo", stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


def counts() -> dict[str, int]:
    models = (
        Organisation,
        Person,
        PersonSkill,
        PersonLanguage,
        Skill,
        SkillCategory,
        Sector,
        Language,
        User,
    )
    through = (
        Organisation.sectors.through,
        Organisation.languages.through,
        Organisation.federations.through,
    )
    return {m._meta.label: m.objects.count() for m in (*models, *through)}


def test_demo_network_has_about_100_coops_in_26_countries(demo, db):
    coops = Organisation.objects.filter(
        kind__in=[Organisation.Kind.WORKER_COOP, Organisation.Kind.OTHER_COOP]
    )
    assert coops.count() == 100
    assert Organisation.objects.values("country").distinct().count() == 26
    assert Organisation.objects.filter(kind=Organisation.Kind.FEDERATION).count() >= 5
    assert Organisation.objects.filter(kind=Organisation.Kind.PARTNER).exists()
    statuses = set(coops.values_list("status", flat=True))
    assert statuses == {"member", "applicant", "suspended", "left"}
    assert coops.filter(status=Organisation.Status.MEMBER).count() > 80
    hornero = Organisation.objects.get(name="Cooperativa de Trabajo Hornero")
    assert (hornero.country.code, hornero.city) == ("AR", "Rosario")
    assert hornero.federations.filter(kind=Organisation.Kind.FEDERATION).exists()
    assert hornero.sectors.exists() and hornero.languages.filter(code="es").exists()
    assert len(hornero.service_list()) >= 3


def test_demo_network_has_2000_people_about_30_active_the_rest_passive(demo, db):
    assert Person.objects.count() == 2000
    # Active means holding a role in a circle (circles.selectors): the demo circles seat ~30.
    active = Person.objects.filter(participation=Person.Participation.ACTIVE).count()
    assert 20 <= active <= 60
    assert Person.objects.filter(participation=Person.Participation.PASSIVE).count() > 1000
    assert Person.objects.filter(is_coop_admin=True).count() >= 100


def test_demo_people_have_skills_languages_and_timezones_that_fit_their_country(demo, db):
    assert Skill.objects.count() >= 60
    assert SkillCategory.objects.filter(slug__in=["design", "development", "security"]).count() == 3
    per_person = Person.objects.annotate(
        n_skills=Count("person_skills", distinct=True),
        n_langs=Count("person_languages", distinct=True),
    )
    assert not per_person.filter(Q(n_skills__lt=2) | Q(n_langs__lt=1) | Q(n_langs__gt=3)).exists()
    assert set(PersonSkill.objects.values_list("level", flat=True)) == {1, 2, 3, 4}

    zones = set(Person.objects.values_list("timezone", flat=True))
    assert zones <= zoneinfo.available_timezones()
    assert {
        "America/Argentina/Buenos_Aires",
        "Europe/Sofia",
        "Asia/Tokyo",
        "America/Chicago",
    } <= zones
    argentines = Person.objects.filter(country="AR")
    assert argentines.exclude(timezone__startswith="America/Argentina/").count() == 0
    assert argentines.exclude(person_languages__language__code="es").count() == 0
    assert not Person.objects.filter(country="BG").exclude(timezone="Europe/Sofia").exists()
    assert Person.objects.filter(person_languages__language__code="en").count() > 1000


@pytest.mark.pure
def test_the_demo_is_planned_the_same_on_every_run():
    # `make run` restarts and the journey tests rely on one network: only the seed decides it.
    first, second = demo_plan(), demo_plan()
    assert first == second
    assert sum(plan.people for plan in first) + len(DEMO_ACCOUNTS) == 2000


@pytest.mark.parametrize("email", DEMO_ACCOUNTS)
def test_demo_account_logs_in_with_the_printed_password(demo, client, email):
    assert email in demo and DEMO_PASSWORD in demo

    response = client.post("/accounts/login/", {"login": email, "password": DEMO_PASSWORD})

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(User.objects.get(email=email).pk)


def test_demo_accounts_have_their_roles(demo, db):
    admin = User.objects.get(email="admin@patio.example")
    assert admin.is_staff and admin.is_superuser and admin.person.organisation_id
    coordinator = Person.objects.get(user__email="coordinator@patio.example")
    assert coordinator.is_coop_admin
    assert coordinator.participation == Person.Participation.ACTIVE
    member = User.objects.get(email="member@patio.example")
    assert not member.is_staff and not member.person.is_coop_admin


def test_running_the_seed_again_creates_and_changes_nothing(demo, db):
    before = counts()
    names = list(Person.objects.order_by("pk").values_list("display_name", flat=True))
    out = io.StringIO()

    call_command("seed_demo", stdout=out)

    assert counts() == before
    assert list(Person.objects.order_by("pk").values_list("display_name", flat=True)) == names
    assert all(email in out.getvalue() for email in DEMO_ACCOUNTS)


def test_every_demo_skill_category_and_sector_has_a_name_in_each_language(demo, db):
    for model in (Skill, SkillCategory, Sector):
        for language, column in vocabulary.name_columns().items():
            unnamed = model.objects.filter(Q(**{column: None}) | Q(**{column: ""}))
            assert not unnamed.exists(), f"{model.__name__} without a name in {language}"
    bookkeeping = Skill.objects.get(slug="bookkeeping")
    with translation.override("ja"):
        assert bookkeeping.name == "簿記"
    with translation.override("pt-br"):
        assert Sector.objects.get(slug="publishing").name == "Mercado editorial"
    assert bookkeeping.name_en == "Bookkeeping"  # the English names are the demo's own


def test_seed_fills_search_vectors_so_a_coop_is_found_by_a_skill_of_its_people(demo, db):
    assert not Organisation.objects.filter(search_vector__isnull=True).exists()
    assert not Person.objects.filter(search_vector__isnull=True).exists()
    # A skill that appears nowhere in the co-op's own texts: only its people connect them.
    hornero = Organisation.objects.get(name="Cooperativa de Trabajo Hornero")
    own_text = f"{hornero.name} {hornero.short_description} {hornero.description} "
    own_text += f"{hornero.services} {' '.join(s.name for s in hornero.sectors.all())}"
    skill = next(
        ps.skill
        for ps in PersonSkill.objects.filter(person__organisation=hornero).select_related("skill")
        if ps.skill.name.split()[0].lower() not in own_text.lower()
    )

    found = search_organisations(Organisation.objects.all(), skill.name)

    assert hornero in found
    assert search_people(Person.objects.all(), skill.name).filter(skills=skill).exists()


def test_bulk_run_creates_the_numbers_asked_for_and_not_again(demo, db):
    orgs, people = Organisation.objects.count(), Person.objects.count()

    call_command("seed_demo", organisations=50, people=300, verbosity=0)

    assert Organisation.objects.count() == orgs + 50
    assert Person.objects.count() == people + 300
    generated = Person.objects.filter(organisation__slug__startswith="bulk-").annotate(
        n_skills=Count("person_skills", distinct=True),
        n_langs=Count("person_languages", distinct=True),
    )
    assert not generated.filter(Q(n_skills__lt=2) | Q(n_skills__gt=4)).exists()
    assert not generated.filter(Q(n_langs__lt=1) | Q(n_langs__gt=3)).exists()
    assert not Person.objects.filter(search_vector__isnull=True).exists()
    assert Organisation.objects.get(slug="bulk-7").name.endswith(" 7")

    call_command("seed_demo", organisations=50, people=300, verbosity=0)

    assert Organisation.objects.count() == orgs + 50
    assert Person.objects.count() == people + 300


def test_bulk_run_with_bigger_numbers_adds_only_the_difference(db):
    call_command("seed_demo", organisations=20, people=100, verbosity=0)

    call_command("seed_demo", organisations=30, people=160, verbosity=0)

    assert Organisation.objects.filter(slug__startswith="bulk-").count() == 30
    assert Person.objects.filter(organisation__slug__startswith="bulk-").count() == 160
    assert Organisation.objects.filter(kind=Organisation.Kind.FEDERATION).exists()
    assert Organisation.federations.through.objects.exists()
    assert search_organisations(Organisation.objects.all(), "bulk").count() == 0


def test_the_demo_partner_tool_shows_a_paused_subscription_and_sends_nothing(demo, db):
    from webhooks.demo_log import BOT_EMAIL, DEMO_URL
    from webhooks.models import Attempt, Delivery, Subscription
    from webhooks.services import deliveries_dispatch_due

    subscription = Subscription.objects.get(url=DEMO_URL)
    assert subscription.token.user.email == BOT_EMAIL and subscription.token.user.is_bot
    assert subscription.status == Subscription.Status.PAUSED
    assert subscription.notice_sent_at is not None  # its owner was told: no email from the demo
    statuses = sorted(
        Delivery.objects.filter(subscription=subscription).values_list("status", flat=True)
    )
    assert statuses == ["delivered", "failed", "pending"]
    assert Attempt.objects.filter(delivery__subscription=subscription).count() == 6
    assert deliveries_dispatch_due() == 0  # paused, and on loopback: nothing ever goes


def test_a_demo_seeded_before_its_catalogue_had_providers_gains_them_and_only_once(demo, db):
    """An older demo database is topped up: the entries stay, who stands behind them arrives."""
    from catalogue.demo_data import PROVIDERS, USES
    from catalogue.models import MaintenanceContact, Provider, Software, SoftwareUse

    akaunting = Software.objects.get(name="Akaunting")
    expected = {slug for slug, *_ in PROVIDERS["Akaunting"]}
    assert set(akaunting.providers.values_list("organisation__slug", flat=True)) == expected
    Provider.objects.all().delete()
    SoftwareUse.objects.all().delete()
    MaintenanceContact.objects.all().delete()
    entries = Software.objects.count()

    out = io.StringIO()
    call_command("seed_demo", stdout=out)

    assert Software.objects.count() == entries
    assert set(akaunting.providers.values_list("organisation__slug", flat=True)) == expected
    assert SoftwareUse.objects.count() == sum(len(uses) for uses in USES.values())
    assert MaintenanceContact.objects.exists()
    rows = (
        Provider.objects.count(),
        SoftwareUse.objects.count(),
        MaintenanceContact.objects.count(),
    )
    call_command("seed_demo", stdout=io.StringIO())
    after = (
        Provider.objects.count(),
        SoftwareUse.objects.count(),
        MaintenanceContact.objects.count(),
    )
    assert after == rows
