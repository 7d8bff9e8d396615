"""Fixtures shared by the page tests."""

import pytest

from tests.helpers.staff import signed_in


@pytest.fixture
def coordinator(client):
    """A test client signed in as a coordinator."""
    return signed_in(client)
