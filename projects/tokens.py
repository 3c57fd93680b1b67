"""The signed link in a team invitation email: made for one seat and one person, read back."""

from __future__ import annotations

from django.core import signing
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from projects.models import TeamMembership

INVITATION_SALT = "projects.invitation"


INVITATION_MAX_AGE = 60 * 60 * 24 * 30


def invitation_token(membership: TeamMembership) -> str:
    return signing.dumps({"m": membership.pk, "p": membership.person_id}, salt=INVITATION_SALT)


def invitation_from_token(token: str) -> TeamMembership:
    try:
        data = signing.loads(token, salt=INVITATION_SALT, max_age=INVITATION_MAX_AGE)
        membership = TeamMembership.objects.select_related("project", "role", "person").get(
            pk=data["m"], person_id=data["p"]
        )
    except (signing.BadSignature, KeyError, TypeError, TeamMembership.DoesNotExist):
        raise ValidationError(_("This invitation link is not valid (or has expired).")) from None
    return membership
