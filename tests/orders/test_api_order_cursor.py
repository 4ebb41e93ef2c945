"""Cursor (keyset) paging of the order list: the same orders as page numbers, at any depth."""

from __future__ import annotations

import pytest

from tests.orders.helpers import assert_refused, draft


@pytest.fixture
def five_orders(cast):
    return [draft(cast.customer_a1, by=cast.admin_a, patient_name=f"Patient {i}") for i in range(5)]


def numbers(body: dict) -> list[str]:
    return [o["number"] for o in body["items"]]


@pytest.mark.parametrize("ordering", ["-created", "created"])
def test_a_lab_admin_pages_by_cursor_through_the_same_orders_as_by_page_number(cast, api, five_orders, ordering):
    client = api(cast.admin_a)
    by_number = [client.get("/orders", {"page_size": 2, "page": p, "ordering": ordering}).json() for p in (1, 2, 3)]

    first = by_number[0]
    second = client.get("/orders", {"page_size": 2, "ordering": ordering, "cursor": first["next_cursor"]}).json()
    third = client.get("/orders", {"page_size": 2, "ordering": ordering, "cursor": second["next_cursor"]}).json()

    assert [numbers(b) for b in (first, second, third)] == [numbers(b) for b in by_number]
    assert len({n for b in by_number for n in numbers(b)}) == 5
    assert (second["count"], third["count"]) == (5, 5)
    assert third["next_cursor"] is None


def test_a_full_last_page_hands_out_a_cursor_to_an_empty_page(cast, api, five_orders):
    client = api(cast.admin_a)
    page = client.get("/orders", {"page_size": 5}).json()

    after = client.get("/orders", {"page_size": 5, "cursor": page["next_cursor"]}).json()

    assert (len(page["items"]), after["items"], after["next_cursor"]) == (5, [], None)


def test_a_cursor_sees_only_the_callers_orders(cast, api, five_orders):
    cursor = api(cast.admin_a).get("/orders", {"page_size": 1}).json()["next_cursor"]

    body = api(cast.admin_b).get("/orders", {"page_size": 1, "cursor": cursor}).json()

    assert (body["items"], body["count"]) == ([], 0)


def test_a_cursor_made_for_another_ordering_is_refused_with_422(cast, api, five_orders):
    client = api(cast.admin_a)
    cursor = client.get("/orders", {"page_size": 2}).json()["next_cursor"]

    assert_refused(client.get("/orders", {"cursor": cursor, "ordering": "created"}), 422, "cursor")
    assert_refused(client.get("/orders", {"cursor": cursor, "ordering": "due_date"}), 422, "cursor")


def test_a_made_up_cursor_is_refused_with_422(cast, api, five_orders):
    assert_refused(api(cast.admin_a).get("/orders", {"cursor": "not-a-cursor"}), 422, "cursor")


def test_due_date_orderings_offer_no_cursor(cast, api, five_orders):
    body = api(cast.admin_a).get("/orders", {"page_size": 2, "ordering": "due_date"}).json()

    assert (len(body["items"]), body["next_cursor"]) == (2, None)
