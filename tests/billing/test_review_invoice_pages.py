"""Review findings on the invoice list page: a page number past any list is not a server error."""

from __future__ import annotations

import pytest
from django.test import Client


def signed_in(user) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


@pytest.mark.parametrize("page", ["9223372036854775807", "200000000000000000"])
def test_a_page_far_past_the_list_is_an_empty_page_not_a_server_error(cast, page):
    response = signed_in(cast.admin_a).get("/billing/invoices/", {"page": page})
    assert response.status_code == 200
    assert response.context["rows"] == []
