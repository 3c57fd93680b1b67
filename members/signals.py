"""Keep cached directory fragments true: any write to co-ops or their vocabularies bumps the
directory version (members.selectors.directory_version), whichever code path made it."""

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

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
from members.search import refresh_vectors_naming
from members.selectors import directory_changed

# People count too: the co-op directory filters on the skills of a co-op's people.
WATCHED = (
    Organisation,
    Sector,
    Skill,
    SkillCategory,
    Language,
    Person,
    PersonSkill,
    PersonLanguage,
)


def _changed() -> None:
    # After commit: bumping inside the transaction would let a concurrent request cache the
    # old rows under the new version.
    transaction.on_commit(directory_changed)


@receiver(post_save)
@receiver(post_delete)
def _model_changed(sender, **kwargs) -> None:
    if sender in WATCHED:
        _changed()


@receiver(m2m_changed, sender=Organisation.sectors.through)
@receiver(m2m_changed, sender=Organisation.languages.through)
@receiver(m2m_changed, sender=Organisation.federations.through)
def _organisation_tags_changed(sender, action: str, **kwargs) -> None:
    if action.startswith("post_"):
        _changed()


@receiver(post_save, sender=Skill)
@receiver(post_save, sender=Sector)
def _vocabulary_renamed(sender, instance, created: bool, **kwargs) -> None:
    """The search vectors hold skill and sector names in every language: a name changed or
    added (in the admin, say) must reach the co-ops and people that carry it. A new row has
    nobody yet."""
    if created:
        return
    ids = {"skill_ids" if sender is Skill else "sector_ids": [instance.pk]}
    transaction.on_commit(lambda: refresh_vectors_naming(**ids))
