from __future__ import annotations

import pytest
from django.test import Client


@pytest.fixture
def browser_as():
    """`browser_as(user)`: a Django test client signed in with a session, as a browser would be."""

    def make(user=None, **kwargs) -> Client:
        client = Client(**kwargs)
        if user is not None:
            client.force_login(user)
        return client

    return make

