"""The order collection and one order: list (with filters), create, read, edit."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from crownline.orders import services
from crownline.orders.models import Order
from tests.factories import CustomerFactory
from tests.orders.helpers import assert_refused, draft, last_event, reload, snapshot

# ---- create -----------------------------------------------------------------------------


def test_a_dentist_creates_a_draft_for_themselves(cast, api):
    due = (cast.lab_a.local_date() + dt.timedelta(days=10)).isoformat()
    response = api(cast.dentist_a1).post(
        "/orders",
        {"patient_name": "Max Mustermann", "due_date": due, "notes": "rush",
         "lines": [{"service": cast.service_a.pk, "quantity": 2, "teeth": [21, 11], "shade": "A2"}]},
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "draft"
    assert body["version"] == 1
    assert body["customer"]["id"] == cast.customer_a1.pk
    assert body["patient"]["name"] == "Max Mustermann"
    assert body["lines"][0]["teeth"] == [11, 21]
    assert Decimal(body["lines"][0]["line_total"]) == Decimal("200.00")
    assert Decimal(body["total"]) == Decimal("200.00")
    assert body["allowed_actions"][:2] == ["publish", "cancel"]
    assert response["ETag"] == f'"{body["number"]}-1"'
    order = Order.objects.get(number=body["number"])
    assert (order.status, order.version, order.lab, order.created_by) == ("draft", 1, cast.lab_a, cast.dentist_a1)
    assert [(e.action, e.from_status, e.to_status) for e in order.events.all()] == [("create", "", "draft")]


def test_a_lab_admin_creates_an_order_for_a_customer_at_a_price_of_their_own(cast, api):
    response = api(cast.admin_a).post(
        "/orders",
        {"customer": cast.customer_a2.pk, "patient_name": "P-17",
         "lines": [{"service": cast.service_a.pk, "unit_price": "80.50"}]},
    )

    assert response.status_code == 201, response.content
    order = Order.objects.get(number=response.json()["number"])
    assert order.customer == cast.customer_a2
    assert order.total == Decimal("80.50")
    assert order.events.get().actor_role == "lab_admin"


def test_a_technician_cannot_create_an_order(cast, api):
    response = api(cast.tech_a).post(
        "/orders", {"customer": cast.customer_a1.pk, "lines": [{"service": cast.service_a.pk}]}
    )

    assert_refused(response, 403)
    assert Order.objects.count() == 0


def test_a_dentist_cannot_order_for_another_dentist(cast, api):
    response = api(cast.dentist_a1).post(
        "/orders", {"customer": cast.customer_a2.pk, "lines": [{"service": cast.service_a.pk}]}
    )

    assert_refused(response, 422, "customer")
    assert Order.objects.count() == 0


def test_a_dentist_cannot_set_a_price(cast, api):
    response = api(cast.dentist_a1).post("/orders", {"lines": [{"service": cast.service_a.pk, "unit_price": "1"}]})

    assert_refused(response, 422, "lines[0].unit_price")
    assert Order.objects.count() == 0


def test_a_lab_admin_cannot_order_a_service_of_another_lab(cast, api):
    response = api(cast.admin_a).post(
        "/orders", {"customer": cast.customer_a1.pk, "lines": [{"service": cast.service_b.pk}]}
    )

    assert_refused(response, 422, "lines[0].service")
    assert Order.objects.count() == 0


def test_a_lab_admin_cannot_order_for_a_customer_of_another_lab(cast, api):
    response = api(cast.admin_a).post(
        "/orders", {"customer": cast.customer_b.pk, "lines": [{"service": cast.service_a.pk}]}
    )

    assert_refused(response, 422, "customer")
    assert Order.objects.count() == 0


def test_a_dentist_cannot_create_an_order_due_in_the_past(cast, api):
    yesterday = (cast.lab_a.local_date() - dt.timedelta(days=1)).isoformat()
    response = api(cast.dentist_a1).post(
        "/orders", {"due_date": yesterday, "lines": [{"service": cast.service_a.pk}]}
    )

    assert_refused(response, 422, "due_date")
    assert Order.objects.count() == 0


def test_a_dentist_gets_422_for_a_line_without_a_service(cast, api):
    response = api(cast.dentist_a1).post("/orders", {"lines": [{"quantity": 1}]})

    assert_refused(response, 422, "lines.0.service")
    assert Order.objects.count() == 0


def test_a_dentist_gets_422_for_an_unknown_tooth(cast, api):
    response = api(cast.dentist_a1).post("/orders", {"lines": [{"service": cast.service_a.pk, "teeth": [19]}]})

    assert_refused(response, 422, "lines[0].teeth")
    assert Order.objects.count() == 0


def test_a_dentist_gets_400_for_a_body_that_is_not_json(cast, api):
    client = api(cast.dentist_a1)
    response = client.client.post("/api/v1/orders", "{not json", content_type="application/json", **client.headers)

    assert_refused(response, 400)
    assert Order.objects.count() == 0


# ---- read -----------------------------------------------------------------------------


def test_a_lab_admin_reads_an_order_with_its_etag(cast, api, order_in):
    order = order_in("production")

    response = api(cast.admin_a).get(f"/orders/{order.number}")

    assert response.status_code == 200
    body = response.json()
    assert body["number"] == order.number
    assert body["display_number"] == f"#{order.number}"
    assert body["lab"] == "lab-a"
    assert body["status"] == "production"
    assert body["version"] == order.version
    assert body["production_date"] == cast.lab_a.local_date().isoformat()
    assert (body["tasks_total"], body["tasks_done"]) == (3, 0)
    assert Decimal(body["total"]) == Decimal(body["amount_due"]) == Decimal("100.00")
    assert body["allowed_actions"] == ["produce", "cancel", "record-payment", "edit",
                                       "plan-work", "edit-tasks", "mark-task", "print", "view-payment-instructions",
                                       "comment"]
    assert response["ETag"] == f'"{order.number}-{order.version}"'


def test_a_dentist_reads_their_order_by_its_number_in_lower_case(cast, api, order_in):
    order = order_in("published")

    response = api(cast.dentist_a1).get(f"/orders/{order.number.lower()}")

    assert response.status_code == 200
    assert response.json()["number"] == order.number


def test_anyone_gets_404_for_a_number_that_does_not_exist(cast, api):
    assert_refused(api(cast.admin_a).get("/orders/0123456789"), 404)
    assert_refused(api(cast.admin_a).get("/orders/not-a-number"), 404)


# ---- edit -----------------------------------------------------------------------------


def test_a_dentist_edits_their_draft_with_the_etag(cast, api, order_in):
    order = order_in("draft")
    before = snapshot(order)
    etag = api(cast.dentist_a1).get(f"/orders/{order.number}")["ETag"]

    response = api(cast.dentist_a1).patch(
        f"/orders/{order.number}",
        {"notes": "please hurry", "lines": [{"service": cast.service_a.pk, "quantity": 3, "teeth": [36]}]},
        HTTP_IF_MATCH=etag,
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["notes"] == "please hurry"
    assert [(ln["quantity"], ln["teeth"]) for ln in body["lines"]] == [(3, [36])]
    assert body["version"] == before.version + 1
    assert response["ETag"] == f'"{order.number}-{before.version + 1}"'
    fresh = reload(order)
    assert (fresh.notes, fresh.total, fresh.version, fresh.status) == (
        "please hurry", Decimal("300.00"), before.version + 1, "draft"
    )
    event = last_event(order)
    assert (event.action, event.from_status, event.to_status) == ("edit", "draft", "draft")
    assert event.data == {"notes": True, "lines": 1}
    assert snapshot(order).events == before.events + 1


def test_a_lab_admin_edits_a_published_order_keeping_a_line_by_its_id(cast, api, order_in):
    order = order_in("published")
    line = order.lines.get()

    response = api(cast.admin_a).patch(
        f"/orders/{order.number}",
        {"lines": [{"id": line.pk, "service": cast.service_a.pk, "quantity": 2, "teeth": [11]}]},
        HTTP_IF_MATCH=order.etag,
    )

    assert response.status_code == 200, response.content
    assert response.json()["lines"][0]["id"] == line.pk
    assert response.json()["tasks_total"] == 3  # the kept line keeps its planned tasks
    assert reload(order).total == Decimal("200.00")


def test_a_lab_admin_cannot_edit_without_if_match(cast, api, order_in):
    order = order_in("published")
    before = snapshot(order)

    response = api(cast.admin_a).patch(f"/orders/{order.number}", {"notes": "x"})

    assert_refused(response, 428)
    assert "If-Match" in response.json()["detail"]
    assert snapshot(order) == before
    assert reload(order).notes == ""


def test_a_lab_admin_cannot_edit_with_a_stale_etag(cast, api, order_in):
    order = order_in("published")
    stale = order.etag
    api(cast.admin_a).post(f"/orders/{order.number}/comments", {"body": "moves the version on"})
    before = snapshot(order)

    response = api(cast.admin_a).patch(f"/orders/{order.number}", {"notes": "x"}, HTTP_IF_MATCH=stale)

    body = assert_refused(response, 412)
    assert body["version"] == before.version
    assert snapshot(order) == before
    assert reload(order).notes == ""


def test_a_lab_admin_cannot_edit_with_the_etag_of_another_order(cast, api, order_in):
    order, other = order_in("published"), order_in("published")
    before = snapshot(order)

    response = api(cast.admin_a).patch(f"/orders/{order.number}", {"notes": "x"}, HTTP_IF_MATCH=other.etag)

    assert_refused(response, 412)
    assert snapshot(order) == before


def test_a_lab_admin_gets_422_for_an_edit_that_changes_nothing(cast, api, order_in):
    order = order_in("published")
    before = snapshot(order)

    response = api(cast.admin_a).patch(f"/orders/{order.number}", {}, HTTP_IF_MATCH=order.etag)

    assert_refused(response, 422, "body")
    assert snapshot(order) == before


def test_a_lab_admin_cannot_remove_every_line_of_a_published_order(cast, api, order_in):
    order = order_in("published")
    before = snapshot(order)

    response = api(cast.admin_a).patch(f"/orders/{order.number}", {"lines": []}, HTTP_IF_MATCH=order.etag)

    assert_refused(response, 422, "lines")
    assert snapshot(order) == before
    assert reload(order).lines.count() == 1


def test_a_lab_admin_gets_422_for_a_quantity_over_the_limit(cast, api, order_in):
    order = order_in("draft")
    before = snapshot(order)

    response = api(cast.admin_a).patch(
        f"/orders/{order.number}", {"lines": [{"service": cast.service_a.pk, "quantity": 101}]},
        HTTP_IF_MATCH=order.etag,
    )

    assert_refused(response, 422, "lines.0.quantity")
    assert snapshot(order) == before


def test_a_dentist_cannot_edit_a_published_order(cast, api, order_in):
    order = order_in("published")
    before = snapshot(order)

    response = api(cast.dentist_a1).patch(f"/orders/{order.number}", {"notes": "x"}, HTTP_IF_MATCH=order.etag)

    body = assert_refused(response, 409)
    assert body["status"] == "published"
    assert "edit" not in body["allowed_actions"]
    assert snapshot(order) == before


def test_a_technician_cannot_edit_an_order(cast, api, order_in):
    order = order_in("published")
    before = snapshot(order)

    response = api(cast.tech_a).patch(f"/orders/{order.number}", {"notes": "x"}, HTTP_IF_MATCH=order.etag)

    assert_refused(response, 403)
    assert snapshot(order) == before


def test_a_lab_admin_gets_400_for_an_edit_that_is_not_json(cast, api, order_in):
    order = order_in("draft")
    before = snapshot(order)
    client = api(cast.admin_a)

    response = client.client.patch(
        f"/api/v1/orders/{order.number}", "{", content_type="application/json",
        HTTP_IF_MATCH=order.etag, **client.headers,
    )

    assert_refused(response, 400)
    assert snapshot(order) == before


# ---- list -----------------------------------------------------------------------------


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
