"""Reads of Murmurations that pages share."""

from __future__ import annotations

from murmurations.models import Registration


def registration_of(kind: str, object_id: int) -> Registration | None:
    """The object's registration with the index, if its profile was ever asked for."""
    return Registration.objects.filter(kind=kind, object_id=object_id).first()
