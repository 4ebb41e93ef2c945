"""Comments per order are limited (CROWNLINE_MAX_COMMENTS_PER_ORDER), public and internal apart:
past the limit, 409 naming the rule and nothing saved; a customer's limit never depends on
the lab's internal notes, which they must not learn exist."""

from __future__ import annotations

import pytest

from crownline.orders import comments
from crownline.orders.models import Comment, OrderEvent

LIMIT = 3


@pytest.fixture
def order(settings, order_in):
    settings.CROWNLINE_MAX_COMMENTS_PER_ORDER = LIMIT
    return order_in("published")


def _stored(order) -> tuple[int, int]:
    return Comment.objects.filter(order=order).count(), OrderEvent.objects.filter(order=order).count()


def test_a_dentists_comment_past_the_limit_is_refused_naming_the_rule(api, cast, order):
    client = api(cast.dentist_a1)
    for i in range(LIMIT):
        assert client.post(f"/orders/{order.number}/comments", {"body": f"note {i}"}).status_code == 201
    before = _stored(order)
    response = client.post(f"/orders/{order.number}/comments", {"body": "x" * 4000})
    assert response.status_code == 409
    assert response.json()["rule"] == "max-comments-per-order" and response.json()["limit"] == LIMIT
    assert "CROWNLINE_MAX_COMMENTS_PER_ORDER" in response.json()["detail"]
    assert _stored(order) == before


def test_internal_notes_neither_fill_nor_reveal_the_customers_room(api, cast, order):
    for i in range(LIMIT):
        comments.add_comment(cast.admin_a, order.number, body=f"internal {i}", internal=True)
    assert api(cast.dentist_a1).post(f"/orders/{order.number}/comments", {"body": "Hello"}).status_code == 201
    refused = api(cast.tech_a).post(f"/orders/{order.number}/comments", {"body": "one more", "internal": True})
    assert refused.status_code == 409 and "internal comments" in refused.json()["detail"]


def test_a_customer_who_fills_their_part_does_not_silence_the_labs_replies(api, cast, order):
    for i in range(LIMIT):
        comments.add_comment(cast.dentist_a1, order.number, body=f"note {i}")

    reply = api(cast.tech_a).post(f"/orders/{order.number}/comments", {"body": "We will call you."})

    assert reply.status_code == 201
    assert api(cast.dentist_a1).post(f"/orders/{order.number}/comments", {"body": "more"}).status_code == 409


def test_the_order_page_says_why(client, cast, order):
    for i in range(LIMIT):
        comments.add_comment(cast.dentist_a1, order.number, body=f"note {i}")
    client.force_login(cast.dentist_a1)
    response = client.post(f"/orders/{order.number}/comments/", {"body": "one more"})
    assert response.status_code == 409
    assert "at most 3 comments" in response.content.decode()
    assert Comment.objects.filter(order=order).count() == LIMIT
