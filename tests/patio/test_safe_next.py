"""After a form, the site sends the reader on only to its own pages."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from patio.http import safe_next

pytestmark = pytest.mark.pure

HOME = "/"


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/fund/claims/4/", "/fund/claims/4/"),
        ("/people/?page=2", "/people/?page=2"),
        ("http://testserver/fund/", "http://testserver/fund/"),
        ("https://evil.example/", HOME),
        ("//evil.example/path", HOME),
        ("javascript:alert(1)", HOME),
        ("/\\evil.example", HOME),
        ("", HOME),
    ],
)
def test_only_this_sites_pages_are_followed(target, expected):
    posted = RequestFactory().post("/fund/claims/4/approve/", {"next": target})
    asked = RequestFactory().get("/accounts/login/", {"next": target})

    assert safe_next(posted, HOME) == expected
    assert safe_next(asked, HOME) == expected
