"""Factories build data the way the product does: none sets a derived field directly.

A factory that sets `participation` skips the circle rule that decides it, and a test built on it
passes while the product fails (issue 11: the demo's quorum could never be reached)."""

from __future__ import annotations

import importlib
import inspect
from pathlib import Path

import factory
import pytest
from django.conf import settings

from members.models import Person
from tests.factories import PersonFactory

# Fields the product derives from other rows; services and tasks write them, never a form or a
# factory.
DERIVED = {Person: {"participation"}}


def _factories():
    for path in sorted((Path(settings.BASE_DIR) / "tests").rglob("factories.py")):
        module = importlib.import_module(
            ".".join(path.relative_to(settings.BASE_DIR).with_suffix("").parts)
        )
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, factory.django.DjangoModelFactory) and cls._meta.model:
                yield cls


@pytest.mark.pure
def test_no_factory_declares_a_derived_field():
    offences = [
        f"{cls.__module__}.{cls.__name__}.{name}"
        for cls in _factories()
        for model, fields in DERIVED.items()
        if issubclass(cls._meta.model, model)
        for name in cls._meta.declarations
        if name in fields
    ]
    assert offences == []


@pytest.mark.django_db
def test_a_person_is_active_only_by_holding_a_circle_membership():
    assert PersonFactory().participation == Person.Participation.PASSIVE
    assert PersonFactory(active_member=True).participation == Person.Participation.ACTIVE
