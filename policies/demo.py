"""Demo policies for `seed_demo`: the network's founding policies with two versions each (the
founding text and one amendment adopted by consent), two amendments in a consent round, and
translations: most policies are written in English, one in Spanish, and several are translated,
some from their current version, some from the first (older than the original).
Running it twice adds nothing. Needs the demo network (members/demo_data.py) and circles."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from circles.models import Circle
from members.models import Person
from patio.dates import network_today
from policies.models import (
    Amendment,
    AmendmentTransition,
    ConsentResponse,
    ConsentRound,
    Policy,
    PolicyTranslation,
    PolicyVersion,
)

# A second round the demo member and admin have still to answer (the coordinator proposed it).
SECOND_OPEN_AMENDMENT = (
    "feedback-guidelines",
    "Feedback within a week",
    "Feedback that comes months later helps nobody.",
    "Feedback is asked for first, then given within a week: specific, kind and about the work, "
    "not the person.",
)

# slug: (title, category, circle slug, visibility, founding text, amendment title, second text,
#        language of the original)
PolicySpec = tuple[str, str, str, str, str, str, str, str]
POLICIES: dict[str, PolicySpec] = {
    "decision-making-by-consent": (
        "Decision making by consent",
        Policy.Category.DECISION_MAKING,
        "education",
        "public",
        "## How we decide\n\nWe decide by **consent**: a proposal passes when nobody has a "
        "reasoned objection.\n\n1. The proposer presents.\n2. Questions.\n3. Reactions.\n"
        "4. Objections.",
        "Give people seven days to answer",
        "## How we decide\n\nWe decide by **consent**: a proposal passes when nobody has a "
        "reasoned objection. Consent rounds stay open for seven days, so every timezone can "
        "answer.\n\n1. The proposer presents.\n2. Questions.\n3. Reactions.\n4. Objections, "
        "each with its reason.",
        "en",
    ),
    "conflict-resolution-in-steps": (
        "Conflict resolution in steps",
        Policy.Category.CONFLICT_RESOLUTION,
        "education",
        "members",
        "1. Talk to the person directly.\n2. Ask a trusted colleague to join.\n"
        "3. Ask the circle's coordinator to mediate.",
        "Add an outside mediator as the last step",
        "1. Talk to the person directly.\n2. Ask a trusted colleague to join.\n"
        "3. Ask the circle's coordinator to mediate.\n4. Ask a mediator from another co-op.",
        "en",
    ),
    "feedback-guidelines": (
        "Feedback guidelines",
        Policy.Category.FEEDBACK,
        "communication",
        "public",
        "Feedback is specific, kind and about the work, not the person.",
        "Ask before giving feedback",
        "Feedback is asked for first, then given: specific, kind and about the work, not the "
        "person.",
        "en",
    ),
    # Written in Spanish by the co-ops of the Río de la Plata, who started the network's fund.
    "horas-de-trabajo-para-la-red": (
        "Horas de trabajo para la red",
        Policy.Category.COMPENSATION,
        "finance",
        "members",
        "Las horas que cada persona dedica a la red se registran cada mes y se pagan con la "
        "tarifa por hora que acuerda la asamblea.",
        "Un tope de veinte horas al mes",
        "Las horas que cada persona dedica a la red se registran cada mes y se pagan con la "
        "tarifa por hora que acuerda la asamblea.\n\nNadie registra más de veinte horas al mes "
        "sin el acuerdo de su círculo.",
        "es",
    ),
}

# (policy slug, language, version translated from, title, text, the translator's country):
# real translations, a few of them made from version 1 and so older than the original.
TRANSLATIONS: tuple[tuple[str, str, int, str, str, str], ...] = (
    (
        "decision-making-by-consent",
        "es",
        2,
        "Decidir por consentimiento",
        "## Cómo decidimos\n\nDecidimos por **consentimiento**: una propuesta se aprueba cuando "
        "nadie tiene una objeción razonada. Las rondas de consentimiento quedan abiertas siete "
        "días, para que todas las zonas horarias puedan responder.\n\n1. Quien propone "
        "presenta.\n2. Preguntas.\n3. Reacciones.\n4. Objeciones, cada una con su razón.",
        "AR",
    ),
    (
        "decision-making-by-consent",
        "fr",
        1,
        "Décider par consentement",
        "## Comment nous décidons\n\nNous décidons par **consentement** : une proposition est "
        "adoptée quand personne n'a d'objection argumentée.\n\n1. La personne qui propose "
        "présente.\n2. Questions.\n3. Réactions.\n4. Objections.",
        "FR",
    ),
    (
        "conflict-resolution-in-steps",
        "bg",
        2,
        "Разрешаване на конфликти на стъпки",
        "1. Говорете директно с човека.\n2. Поканете колега, на когото имате доверие.\n"
        "3. Помолете координатора на кръга да посредничи.\n"
        "4. Помолете за медиатор от друга кооперация.",
        "BG",
    ),
    (
        "feedback-guidelines",
        "pt-br",
        2,
        "Diretrizes de feedback",
        "Primeiro se pede feedback, depois ele é dado: específico, gentil e sobre o trabalho, "
        "não sobre a pessoa.",
        "BR",
    ),
    (
        "feedback-guidelines",
        "es",
        1,
        "Pautas para dar devoluciones",
        "Las devoluciones son específicas, amables y sobre el trabajo, no sobre la persona.",
        "AR",
    ),
    (
        "horas-de-trabajo-para-la-red",
        "en",
        2,
        "Hours of work for the network",
        "The hours each person gives the network are recorded every month and paid at the "
        "hourly rate the assembly agrees.\n\nNobody records more than twenty hours a month "
        "without their circle's agreement.",
        "GB",
    ),
    (
        "horas-de-trabajo-para-la-red",
        "pt-br",
        1,
        "Horas de trabalho para a rede",
        "As horas que cada pessoa dedica à rede são registradas todo mês e pagas pela tarifa "
        "por hora que a assembleia combina.",
        "BR",
    ),
)

OPEN_AMENDMENT = (
    "Answer within ten days",
    "People on holiday miss seven-day rounds.",
    "## How we decide\n\nWe decide by **consent**: a proposal passes when nobody has a reasoned "
    "objection. Consent rounds stay open for ten days, so every timezone can answer.\n\n"
    "1. The proposer presents.\n2. Questions.\n3. Reactions.\n4. Objections, each with its reason.",
)


# A version's summary and an amendment's rationale are written in the original's language.
FOUNDING = {"en": "Founding text", "es": "Texto fundacional"}
RATIONALE = {
    "en": "Agreed at the founding gathering's follow-up.",
    "es": "Acordado en la reunión que siguió al encuentro fundacional.",
}


def _person(email: str) -> Person | None:
    return Person.objects.filter(user__email=email).first()


@transaction.atomic
def seed(*, say: Callable[[str], None] = print) -> None:
    now = timezone.now()
    proposer = _person("member@patio.example") or Person.objects.order_by("pk").first()
    if proposer is None:
        say("policies: no people in the directory, nothing seeded")
        return
    coordinator = _person("coordinator@patio.example") or proposer
    added = 0
    for slug, spec in POLICIES.items():
        added += _founding_policy(slug, spec, coordinator, now)
    translated = _translations(fallback=coordinator)

    title, rationale, text = OPEN_AMENDMENT
    round = _open_round(
        "decision-making-by-consent",
        title,
        rationale,
        text,
        proposer=proposer,
        opens_at=now - timedelta(days=2),
        closes_at=now + timedelta(days=5),
    )
    if round:
        ConsentResponse.objects.create(round=round, person=proposer, answer="consent")
        if coordinator != proposer:
            ConsentResponse.objects.create(
                round=round,
                person=coordinator,
                answer="concern",
                reason="Ten days slows urgent changes; fine for policies.",
            )
    slug, title, rationale, text = SECOND_OPEN_AMENDMENT
    round = _open_round(
        slug,
        title,
        rationale,
        text,
        proposer=coordinator,
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=6),
    )
    if round:
        ConsentResponse.objects.create(round=round, person=coordinator, answer="consent")
    say(
        f"policies: {added} policies added, two amendments in a consent round, "
        f"{translated} translations added"
    )


def _founding_policy(slug: str, spec: PolicySpec, coordinator: Person, now: datetime) -> bool:
    """A policy with its founding text and, a year later, an amendment adopted by consent as
    its second version; returns whether the policy is new."""
    title, category, circle, visibility, text1, change, text2, language = spec
    policy, new = Policy.objects.get_or_create(
        slug=slug,
        defaults={
            "title": title,
            "category": category,
            "language": language,
            "visibility": visibility,
            "circle": Circle.objects.filter(slug=circle).first(),
            "review_date": network_today() + timedelta(days=180),
        },
    )
    founded = network_today() - timedelta(days=400)
    first, _new = PolicyVersion.objects.get_or_create(
        policy=policy,
        number=1,
        defaults={
            "text": text1,
            "summary": FOUNDING.get(language, "Founding text"),
            "effective_date": founded,
        },
    )
    if policy.versions.filter(number=2).exists():
        return new
    amendment, round = _adopted_amendment(
        first, change, text2, coordinator, now, rationale=RATIONALE.get(language, RATIONALE["en"])
    )
    PolicyVersion.objects.create(
        policy=policy,
        number=2,
        text=text2,
        summary=change,
        effective_date=network_today() - timedelta(days=52),
        consent_round=round,
        amendment=amendment,
    )
    return new


def _adopted_amendment(
    first: PolicyVersion,
    title: str,
    text: str,
    coordinator: Person,
    now: datetime,
    *,
    rationale: str,
) -> tuple[Amendment, ConsentRound]:
    """The amendment of a founding text, through feedback and a consent round two months
    ago to adopted."""
    amendment = Amendment.objects.create(
        policy=first.policy,
        base_version=first,
        title=title,
        text=text,
        rationale=rationale,
        proposer=coordinator,
        status=Amendment.Status.ADOPTED,
    )
    round = ConsentRound.objects.create(
        amendment=amendment,
        number=1,
        revision=1,
        opens_at=now - timedelta(days=60),
        closes_at=now - timedelta(days=53),
        closed_at=now - timedelta(days=53),
        outcome=ConsentRound.Outcome.CONSENTED,
    )
    for status_from, status_to in (
        ("draft", "feedback"),
        ("feedback", "consent"),
        ("consent", "adopted"),
    ):
        AmendmentTransition.objects.create(
            amendment=amendment,
            from_status=status_from,
            to_status=status_to,
            actor=coordinator,
        )
    return amendment, round


def _open_round(
    slug: str,
    title: str,
    rationale: str,
    text: str,
    *,
    proposer: Person,
    opens_at: datetime,
    closes_at: datetime,
) -> ConsentRound | None:
    """An amendment of the policy's latest version, in its consent round; the round when the
    amendment is new (to add answers to), None when an earlier run made it."""
    policy = Policy.objects.get(slug=slug)
    amendment, new = Amendment.objects.get_or_create(
        policy=policy,
        title=title,
        defaults={
            "text": text,
            "rationale": rationale,
            "proposer": proposer,
            "base_version": policy.versions.order_by("-number").first(),
            "status": Amendment.Status.CONSENT,
        },
    )
    if not new:
        return None
    return ConsentRound.objects.create(
        amendment=amendment, number=1, revision=1, opens_at=opens_at, closes_at=closes_at
    )


def _translations(*, fallback: Person) -> int:
    """The demo's translations, each by someone of a co-op in a country that speaks the
    language; returns how many are new."""
    policies = {p.slug: p for p in Policy.objects.filter(slug__in={t[0] for t in TRANSLATIONS})}
    versions = {
        (v.policy_id, v.number): v
        for v in PolicyVersion.objects.filter(policy__in=policies.values())
    }
    translators: dict[str, Person] = {}
    added = 0
    for slug, language, number, title, text, country in TRANSLATIONS:
        policy = policies[slug]
        if country not in translators:
            translators[country] = (
                Person.objects.filter(country=country, user__isnull=False).order_by("pk").first()
                or Person.objects.filter(country=country).order_by("pk").first()
                or fallback
            )
        _row, new = PolicyTranslation.objects.get_or_create(
            policy=policy,
            language=language,
            defaults={
                "title": title,
                "text": text,
                "source_version": versions[(policy.pk, number)],
                "translator": translators[country],
            },
        )
        added += new
    return added
