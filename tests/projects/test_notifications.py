"""When an opportunity opens, the people it fits hear of it once: now, in a digest, or never."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from members.models import Person
from notifications.emails import digests_send
from notifications.models import Notification
from projects.models import Opportunity, OpportunityNotification
from projects.selectors.opportunities import people_fitting
from projects.services.opportunities import opportunity_transition
from projects.tasks import notify_fitting_people
from tests.factories import PersonFactory, PersonLanguageFactory, PersonSkillFactory
from tests.projects.factories import OpportunityFactory, RoleFactory, RoleSkillFactory
from tests.worker_fixtures import WORKER_TIMEOUT, wait_until

S = Opportunity.Status
NOW, WEEKLY, NEVER = Person.Notify.IMMEDIATELY, Person.Notify.WEEKLY, Person.Notify.NEVER


def _person(name, *, skill=None, level=3, hours=20, notify=NOW, speaks=None, **extra):
    person = PersonFactory(
        display_name=name,
        user__email=f"{name.split()[0].lower()}@example.coop",
        hours_per_week=hours,
        email_choices={} if notify == NOW else {Person.OPPORTUNITY_EMAILS: notify},
        **extra,
    )
    if skill is not None:
        PersonSkillFactory(person=person, skill=skill, level=level)
    if speaks is not None:
        PersonLanguageFactory(person=person, language=speaks)
    return person


@pytest.fixture
def opening(circle, coordinator, django_skill, english):
    """A draft needing a Django developer (practitioner+, 10 h a week) working in English,
    starting on 1 March 2030, with core hours 13:00 to 17:00 UTC."""
    opportunity = OpportunityFactory(
        circle=circle,
        posted_by=coordinator,
        status=S.DRAFT,
        title="Portal for Vivienda Sur",
        start_date=dt.date(2030, 3, 1),
        core_hours_start_utc=dt.time(13),
        core_hours_end_utc=dt.time(17),
    )
    opportunity.working_languages.add(english)
    role = RoleFactory(opportunity=opportunity, title="Backend developer", hours_per_week=10)
    RoleSkillFactory(role=role, skill=django_skill, min_level=2)
    return opportunity


# who fits -----------------------------------------------------------------------------------------
@pytest.mark.django_db
def test_people_fitting_are_those_with_the_skill_level_hours_language_and_availability(
    opening, coordinator, django_skill, english, spanish
):
    fits = _person("Fiona Fits", skill=django_skill, speaks=english)
    _person("Lara Learner", skill=django_skill, level=1, speaks=english)
    _person("Busy Ben", skill=django_skill, hours=5, speaks=english)
    _person("Sergio Spanish", skill=django_skill, speaks=spanish)
    _person("Nadia Noskill", speaks=english)
    _person("Later Lou", skill=django_skill, speaks=english, available_from=dt.date(2030, 6, 1))
    PersonSkillFactory(person=coordinator, skill=django_skill, level=4)
    PersonLanguageFactory(person=coordinator, language=english)

    assert list(people_fitting(opening)) == [fits]


@pytest.mark.django_db
def test_without_working_languages_any_language_fits(opening, django_skill):
    opening.working_languages.clear()
    anyone = _person("Ana Anylang", skill=django_skill)
    assert list(people_fitting(opening)) == [anyone]


@pytest.mark.django_db
def test_a_person_needs_every_skill_of_one_role_not_one_skill_of_each(opening, figma, django_skill):
    RoleSkillFactory(role=opening.roles.get(), skill=figma, min_level=2)
    half = _person("Half Hannah", skill=django_skill)
    both = _person("Both Bo", skill=django_skill)
    PersonSkillFactory(person=both, skill=figma, level=2)
    opening.working_languages.clear()
    assert list(people_fitting(opening)) == [both]
    assert half not in people_fitting(opening)


# the fan-out --------------------------------------------------------------------------------------
@pytest.mark.django_db
def test_the_fan_out_respects_each_persons_preference_and_is_recorded_once(
    opening, django_skill, english
):
    now = _person("Nora Now", skill=django_skill, speaks=english, notify=NOW)
    weekly = _person("Walt Weekly", skill=django_skill, speaks=english, notify=WEEKLY)
    _person("Nell Never", skill=django_skill, speaks=english, notify=NEVER)
    Opportunity.objects.filter(pk=opening.pk).update(status=S.OPEN)

    assert notify_fitting_people(opening.pk) == 1
    assert notify_fitting_people(opening.pk) == 0

    rows = OpportunityNotification.objects.values_list("person_id", flat=True)
    assert sorted(rows) == sorted([now.pk, weekly.pk])
    assert [m.to for m in mail.outbox] == [["nora@example.coop"]]
    # Walt's is held for his weekly digest, and both see it in their list already.
    assert dict(Notification.objects.values_list("recipient_id", "digest")) == {
        now.pk: "",
        weekly.pk: WEEKLY,
    }


@pytest.mark.django_db
def test_an_email_is_in_the_persons_language_with_core_hours_in_their_timezone(
    opening, django_skill, english
):
    _person(
        "Sofía Spanish",
        skill=django_skill,
        speaks=english,
        language="es",
        timezone="America/Argentina/Buenos_Aires",
    )
    Opportunity.objects.filter(pk=opening.pk).update(status=S.OPEN)
    notify_fitting_people(opening.pk)
    body = mail.outbox[0].body
    assert "Portal for Vivienda Sur" in body
    # 13:00 to 17:00 UTC is 10:00 to 14:00 in Buenos Aires (UTC-3, no summer time).
    assert "10:00" in body and "14:00" in body and "America/Argentina/Buenos_Aires" in body
    assert "1 de marzo de 2030" in body  # the start date, written the Spanish way


@pytest.mark.django_db
def test_a_failed_send_releases_the_claim_so_the_retry_sends_it(
    opening, django_skill, english, settings
):
    _person("Rita Retry", skill=django_skill, speaks=english)
    Opportunity.objects.filter(pk=opening.pk).update(status=S.OPEN)
    settings.EMAIL_BACKEND = "tests.projects.test_notifications.BrokenBackend"
    with pytest.raises(OSError):
        notify_fitting_people(opening.pk)
    assert OpportunityNotification.objects.get().sent_at is None

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert notify_fitting_people(opening.pk) == 1
    assert len(mail.outbox) == 1


class BrokenBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise OSError("the mail server is down")


@pytest.mark.django_db
def test_the_weekly_digest_lists_each_persons_opportunities_in_one_email_once(
    opening, django_skill, english, circle
):
    walt = _person("Walt Weekly", skill=django_skill, speaks=english, notify=WEEKLY)
    second = OpportunityFactory(circle=circle, status=S.OPEN, title="Second thing")
    RoleSkillFactory(role=RoleFactory(opportunity=second), skill=django_skill)
    Opportunity.objects.filter(pk=opening.pk).update(status=S.OPEN)
    for opportunity in (opening, second):
        notify_fitting_people(opportunity.pk)
    assert mail.outbox == []

    next_week = timezone.now() + dt.timedelta(days=8)  # past a Monday morning anywhere
    assert digests_send(now=next_week) == 1
    assert digests_send(now=next_week) == 0

    assert len(mail.outbox) == 1
    digest = mail.outbox[0]
    assert digest.to == ["walt@example.coop"]
    assert "Portal for Vivienda Sur" in digest.body and "Second thing" in digest.body
    assert not OpportunityNotification.objects.filter(person=walt, sent_at__isnull=True).exists()
    assert not Notification.objects.filter(recipient=walt, digest_sent_at__isnull=True).exists()


# with the real worker -----------------------------------------------------------------------------
@pytest.mark.worker
@pytest.mark.filterwarnings("ignore:Call to deprecated setex:DeprecationWarning")
def test_opening_mails_each_fitting_person_once_even_when_the_task_runs_twice(
    celery_worker, opening, coordinator, django_skill, english
):
    people = [
        _person(name, skill=django_skill, speaks=english)
        for name in ("Ada One", "Bea Two", "Cai Three")
    ]
    _person("Walt Weekly", skill=django_skill, speaks=english, notify=WEEKLY)

    with transaction.atomic():
        opportunity_transition(actor=coordinator.user, opportunity=opening, to_status=S.OPEN)
    wait_until(lambda: len(mail.outbox) == 3)

    # The broker delivers the task again (a retry, a lost ack): nobody gets a second email.
    assert notify_fitting_people.delay(opening.pk).get(timeout=WORKER_TIMEOUT) == 0
    assert notify_fitting_people.delay(opening.pk).get(timeout=WORKER_TIMEOUT) == 0

    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.user.email for p in people)
    assert OpportunityNotification.objects.filter(opportunity=opening).count() == 4
    assert digests_send(now=timezone.now() + dt.timedelta(days=8)) == 1
    assert len(mail.outbox) == 4
