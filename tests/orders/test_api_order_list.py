"""The order collection, GET /orders: who sees what, the filters (status, customer, search, lab),
the ordering and the pages."""

from __future__ import annotations

import pytest

from crownline.orders import services
from crownline.orders.models import Order
from tests.factories import CustomerFactory
from tests.orders.helpers import assert_refused, draft, reload


def numbers(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [o["number"] for o in response.json()["items"]]


@pytest.fixture
def three_orders(cast, order_in):
    """A1's published order for "Anna Berg" (due in 3 days), A1's draft for "Bob Stone" (due in 9),
    and A2's draft for "Carla Anders" (due in 5), created in this order."""
    first = draft(cast.customer_a1, by=cast.admin_a, patient_name="Anna Berg", due_in_days=3)
    services.publish_order(cast.admin_a, first.number)
    second = draft(cast.customer_a1, by=cast.admin_a, patient_name="Bob Stone", due_in_days=9)
    third = draft(cast.customer_a2, by=cast.admin_a, patient_name="Carla Anders", due_in_days=5)
    return reload(first), second, third


def test_a_lab_admin_lists_every_order_of_the_lab_newest_first(cast, api, three_orders):
    first, second, third = three_orders

    response = api(cast.admin_a).get("/orders")

    assert numbers(response) == [third.number, second.number, first.number]
    body = response.json()
    assert (body["count"], body["page"], body["page_size"]) == (3, 1, 50)
    assert body["items"][2]["status"] == "published"


def test_a_dentist_lists_only_their_own_orders(cast, api, three_orders):
    first, second, _ = three_orders

    assert numbers(api(cast.dentist_a2).get("/orders")) == [three_orders[2].number]
    assert numbers(api(cast.dentist_a1).get("/orders")) == [second.number, first.number]


def test_a_lab_b_admin_and_dentist_list_none_of_lab_as_orders(cast, api, three_orders):
    assert numbers(api(cast.admin_b).get("/orders")) == []
    assert numbers(api(cast.dentist_b).get("/orders")) == []


def test_a_lab_admin_filters_the_list_by_status(cast, api, three_orders):
    first, second, third = three_orders

    assert numbers(api(cast.admin_a).get("/orders", {"status": "published"})) == [first.number]
    assert numbers(api(cast.admin_a).get("/orders", {"status": "draft"})) == [third.number, second.number]
    assert numbers(api(cast.admin_a).get("/orders", {"status": "shipped"})) == []


def test_a_lab_admin_gets_422_for_an_unknown_status_filter(cast, api, three_orders):
    assert_refused(api(cast.admin_a).get("/orders", {"status": "lost"}), 422, "status")


def test_a_lab_admin_filters_the_list_by_customer(cast, api, three_orders):
    first, second, third = three_orders

    assert numbers(api(cast.admin_a).get("/orders", {"customer": cast.customer_a2.pk})) == [third.number]
    assert numbers(api(cast.admin_a).get("/orders", {"customer": cast.customer_a1.pk})) == [
        second.number, first.number
    ]


def test_a_dentist_filtering_by_another_customer_finds_nothing(cast, api, three_orders):
    assert numbers(api(cast.dentist_a1).get("/orders", {"customer": cast.customer_a2.pk})) == []


def test_a_lab_admin_searches_by_number_prefix_with_or_without_hash(cast, api, three_orders):
    _, second, _ = three_orders
    prefix = second.number[:6]
    expected = [o.number for o in Order.objects.filter(number__startswith=prefix).order_by("-created_at", "-id")]

    assert numbers(api(cast.admin_a).get("/orders", {"q": prefix.lower()})) == expected
    assert numbers(api(cast.admin_a).get("/orders", {"q": "#" + prefix})) == expected
    assert numbers(api(cast.admin_a).get("/orders", {"q": second.number})) == [second.number]


def test_a_lab_admin_searches_by_part_of_the_patient_name(cast, api, three_orders):
    _, second, third = three_orders

    assert numbers(api(cast.admin_a).get("/orders", {"q": "stone"})) == [second.number]
    assert numbers(api(cast.admin_a).get("/orders", {"q": "ANDERS"})) == [third.number]
    assert numbers(api(cast.admin_a).get("/orders", {"q": "nobody"})) == []


def test_a_dentist_search_never_finds_another_dentists_patient(cast, api, three_orders):
    assert numbers(api(cast.dentist_a1).get("/orders", {"q": "Carla"})) == []


def test_a_dentist_of_two_labs_filters_the_list_by_lab(cast, api, three_orders):
    first, second, _ = three_orders
    in_lab_b = CustomerFactory(lab=cast.lab_b, user=cast.dentist_a1)
    order_b = draft(in_lab_b, by=cast.admin_b, service=cast.service_b)
    client = api(cast.dentist_a1)

    assert numbers(client.get("/orders")) == [order_b.number, second.number, first.number]
    assert numbers(client.get("/orders", {"lab": "lab-b"})) == [order_b.number]
    assert numbers(client.get("/orders", {"lab": "lab-a"})) == [second.number, first.number]


def test_a_dentist_gets_404_filtering_by_a_lab_they_do_not_work_with(cast, api, three_orders):
    assert_refused(api(cast.dentist_a1).get("/orders", {"lab": "lab-b"}), 404)
    assert_refused(api(cast.admin_a).get("/orders", {"lab": "no-such-lab"}), 404)


def test_a_lab_admin_orders_the_list_by_due_date_or_creation(cast, api, three_orders):
    first, second, third = three_orders
    client = api(cast.admin_a)

    assert numbers(client.get("/orders", {"ordering": "due_date"})) == [first.number, third.number, second.number]
    assert numbers(client.get("/orders", {"ordering": "-due_date"})) == [second.number, third.number, first.number]
    assert numbers(client.get("/orders", {"ordering": "created"})) == [first.number, second.number, third.number]
    assert numbers(client.get("/orders", {"ordering": "-created"})) == [third.number, second.number, first.number]


def test_a_lab_admin_gets_422_for_an_unknown_ordering(cast, api, three_orders):
    assert_refused(api(cast.admin_a).get("/orders", {"ordering": "patient"}), 422, "ordering")


def test_a_lab_admin_pages_through_the_list(cast, api, three_orders):
    first, second, third = three_orders
    client = api(cast.admin_a)

    page1 = client.get("/orders", {"page_size": 2})
    page2 = client.get("/orders", {"page_size": 2, "page": 2})
    page3 = client.get("/orders", {"page_size": 2, "page": 3})

    assert numbers(page1) == [third.number, second.number]
    assert numbers(page2) == [first.number]
    assert numbers(page3) == []
    assert [(p.json()["count"], p.json()["page"], p.json()["page_size"]) for p in (page1, page2, page3)] == [
        (3, 1, 2), (3, 2, 2), (3, 3, 2)
    ]


def test_a_filtered_page_counts_only_the_matching_orders(cast, api, three_orders):
    body = api(cast.admin_a).get("/orders", {"status": "draft", "page_size": 1}).json()

    assert (body["count"], len(body["items"])) == (2, 1)


def test_a_lab_admin_gets_422_for_a_page_size_over_100(cast, api, three_orders):
    assert_refused(api(cast.admin_a).get("/orders", {"page_size": 101}), 422, "page_size")
    assert api(cast.admin_a).get("/orders", {"page_size": 100}).status_code == 200


def test_a_lab_admin_gets_422_for_page_zero(cast, api, three_orders):
    assert_refused(api(cast.admin_a).get("/orders", {"page": 0}), 422, "page")


def test_the_list_shows_each_order_as_the_caller_may_see_it(cast, api, order_in):
    order = order_in("production")

    item = api(cast.tech_a).get("/orders").json()["items"][0]

    assert item["number"] == order.number
    assert item["total"] is None and item["amount_paid"] is None
    assert item["lines"][0]["unit_price"] is None and item["lines"][0]["line_total"] is None
    assert item["allowed_actions"][0] == "produce"
