from __future__ import annotations

import pytest

from accounts.models import User
from tests.factories import UserFactory


@pytest.fixture
def bot(db) -> User:
    """A bot account for a partner tool: nobody signs in to it; a network admin makes its tokens."""
    return UserFactory(email="crm-bot@patio.coop", is_bot=True)
