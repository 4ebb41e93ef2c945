"""The invoice API: list and filters, issuing, reading, crediting; who may do which."""

from __future__ import annotations

from decimal import Decimal

from crownline.billing import credits, invoices
from crownline.billing.models import Invoice
from crownline.orders.models import Order
from tests.factories import make_order

D = Decimal


def delivered(cast, customer=None) -> Order:
    return make_order(cast.admin_a, customer or cast.customer_a1, status="delivered", service=cast.service_a)


def test_the_admin_issues_an_invoice_for_orders_and_reads_it_back(cast, api):
    first, second = delivered(cast), delivered(cast)
    response = api(cast.admin_a).post("/labs/lab-a/invoices", {"orders": [first.number, f"#{second.number}"]})
    assert response.status_code == 201, response.content
    (body,) = response.json()["invoices"]
    assert body["number"].startswith("LAB-A-")
    assert body["kind"] == "invoice" and body["status"] == "open" and body["credited"] == "0.00"
    assert body["gross"] == "200.00" and body["net"] == "200.00" and body["tax"] == "0.00"
    assert sorted(body["orders"]) == sorted([first.number, second.number])
    assert [ln["net"] for ln in body["lines"]] == ["100.00", "100.00"]
    assert body["pdf_url"] == f"/api/v1/invoices/{body['number']}/invoice.pdf"

    read = api(cast.dentist_a1).get(f"/invoices/{body['number']}")
    assert read.status_code == 200
    assert read.json() == body


def test_last_month_issues_one_invoice_per_customer_or_answers_200_with_none(cast, api):
    _, last = invoices.last_month(cast.lab_a)
    mine, theirs = delivered(cast), delivered(cast, cast.customer_a2)
    assert api(cast.admin_a).post("/labs/lab-a/invoices", {"last_month": True}).json() == {"invoices": []}
    Order.objects.filter(pk__in=[mine.pk, theirs.pk]).update(delivered_on=last)
    response = api(cast.admin_a).post("/labs/lab-a/invoices", {"last_month": True})
    assert response.status_code == 201
    assert sorted(i["customer"]["id"] for i in response.json()["invoices"]) == sorted(
        [cast.customer_a1.pk, cast.customer_a2.pk]
    )


def test_a_body_must_name_orders_or_last_month_but_not_both(cast, api):
    order = delivered(cast)
    admin = api(cast.admin_a)
    for body, field in [
        ({}, "orders"),
        ({"last_month": False}, "orders"),
        ({"orders": [order.number], "last_month": True}, "last_month"),
        ({"last_month": True, "issued_on": "2020-01-01"}, "issued_on"),
    ]:
        response = admin.post("/labs/lab-a/invoices", body)
        assert response.status_code == 422, body
        assert response.json()["errors"][0]["field"] == field
    for body in (
        {"orders": []},
        {"orders": ["not-a-number"]},
        {"orders": [order.number], "extra": 1},
        {"orders": [order.number], "issued_on": 20200101},
    ):
        assert admin.post("/labs/lab-a/invoices", body).status_code == 422, body
    assert not Invoice.objects.exists()


def test_refusals_of_the_service_come_back_as_409_and_422(cast, api):
    mine, theirs = delivered(cast), delivered(cast, cast.customer_a2)
    admin = api(cast.admin_a)
    response = admin.post("/labs/lab-a/invoices", {"orders": [mine.number, theirs.number]})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "orders"
    admin.post("/labs/lab-a/invoices", {"orders": [mine.number]})
    again = admin.post("/labs/lab-a/invoices", {"orders": [mine.number]})
    assert again.status_code == 409
    assert "already billed" in again.json()["detail"]


def test_the_list_filters_by_customer_kind_status_and_dates_and_pages(cast, api):
    a1 = invoices.create_invoice(cast.admin_a, "lab-a", [delivered(cast).number])
    a1_later = invoices.create_invoice(cast.admin_a, "lab-a", [delivered(cast).number])
    a2 = invoices.create_invoice(cast.admin_a, "lab-a", [delivered(cast, cast.customer_a2).number])
    note = credits.create_credit_note(cast.admin_a, a1.number, reason="remake")
    admin = api(cast.admin_a)

    def numbers(**params):
        response = admin.get("/labs/lab-a/invoices", params)
        assert response.status_code == 200, response.content
        return [i["number"] for i in response.json()["items"]]

    assert numbers() == [note.number, a2.number, a1_later.number, a1.number]
    assert numbers(customer=cast.customer_a2.pk) == [a2.number]
    assert numbers(kind="credit_note") == [note.number]
    assert numbers(status="credited") == [a1.number]
    assert numbers(status="open") == [a2.number, a1_later.number]
    today = cast.lab_a.local_date().isoformat()
    assert len(numbers(**{"from": today, "to": today})) == 4
    assert numbers(**{"to": "2000-01-01"}) == []
    page = admin.get("/labs/lab-a/invoices", {"limit": 2, "offset": 1}).json()
    assert (page["count"], [i["number"] for i in page["items"]]) == (4, [a2.number, a1_later.number])
    for bad in ({"limit": 0}, {"limit": 10**30}, {"kind": "receipt"}, {"from": "yesterday"}, {"customer": "x"}):
        assert admin.get("/labs/lab-a/invoices", bad).status_code == 422, bad
    assert admin.get("/labs/lab-a/invoices", {"from": today, "to": "2000-01-01"}).status_code == 422


def test_a_dentist_lists_only_their_own_invoices(cast, api):
    mine = invoices.create_invoice(cast.admin_a, "lab-a", [delivered(cast).number])
    invoices.create_invoice(cast.admin_a, "lab-a", [delivered(cast, cast.customer_a2).number])
    response = api(cast.dentist_a1).get("/labs/lab-a/invoices")
    assert [i["number"] for i in response.json()["items"]] == [mine.number]


def test_a_technician_is_refused_and_other_labs_find_nothing(cast, api):
    invoice = invoices.create_invoice(cast.admin_a, "lab-a", [delivered(cast).number])
    assert api(cast.tech_a).get("/labs/lab-a/invoices").status_code == 403
    assert api(cast.tech_a).get(f"/invoices/{invoice.number}").status_code == 403
    assert api(cast.tech_a).get(f"/invoices/{invoice.number}/invoice.pdf").status_code == 403
    for stranger in (cast.admin_b, cast.dentist_b):
        assert api(stranger).get("/labs/lab-a/invoices").status_code == 404
        assert api(stranger).get(f"/invoices/{invoice.number}").status_code == 404
    assert api(cast.dentist_a2).get(f"/invoices/{invoice.number}").status_code == 404
    assert api(cast.admin_a).get("/invoices/LAB-A-1999-0001").status_code == 404
    assert api(cast.admin_a).get("/invoices/" + "X" * 81).status_code == 422


def test_credit_notes_through_the_api(cast, api):
    first, second = delivered(cast), delivered(cast)
    invoice = invoices.create_invoice(cast.admin_a, "lab-a", [first.number, second.number])
    admin = api(cast.admin_a)
    url = f"/invoices/{invoice.number}/credit-notes"

    part = admin.post(url, {"reason": "goodwill", "amount": "12.34"})
    assert part.status_code == 201, part.content
    assert (part.json()["kind"], part.json()["gross"], part.json()["credits"]) == (
        "credit_note",
        "12.34",
        invoice.number,
    )
    whole = admin.post(url, {"reason": "remake", "orders": [first.number]})
    assert whole.status_code == 201
    assert whole.json()["orders"] == [first.number]
    too_much = admin.post(url, {"reason": "x", "amount": "100.00"})
    assert too_much.status_code == 422 and too_much.json()["errors"][0]["field"] == "amount"
    assert admin.post(url, {"reason": "x", "amount": "1", "orders": [second.number]}).status_code == 422
    assert admin.post(url, {"reason": " "}).status_code == 422
    assert admin.post(url, {"amount": "1"}).status_code == 422
    rest = admin.post(url, {"reason": "closing"})
    assert rest.status_code == 201 and rest.json()["gross"] == "87.66"
    after = admin.get(f"/invoices/{invoice.number}").json()
    assert (after["status"], after["credited"]) == ("credited", "200.00")
    assert len(after["credit_notes"]) == 3
    assert api(cast.dentist_a1).post(url, {"reason": "please"}).status_code == 403
