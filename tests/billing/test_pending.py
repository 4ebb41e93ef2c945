"""The Pending list and "Mark all as paid": one payment per order, all or nothing, once."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client

from crownline.billing import pending
from crownline.errors import Forbidden, InvalidInput, NotFound
from crownline.orders import payments
from crownline.orders.models import Order, Payment
from tests.factories import make_order

D = Decimal


def order_of(cast, status: str, customer=None) -> Order:
    return make_order(cast.admin_a, customer or cast.customer_a1, status=status, service=cast.service_a)


def test_pending_lists_each_customers_unpaid_orders_and_their_total(cast):
    shipped, delivered = order_of(cast, "shipped"), order_of(cast, "delivered")
    payments.record_payment(cast.admin_a, delivered.number, amount=D("40.00"))
    other = order_of(cast, "published", cast.customer_a2)
    order_of(cast, "draft"), order_of(cast, "cancelled"), order_of(cast, "completed")
    groups = pending.pending(cast.admin_a, "lab-a")
    by_customer = {g.customer.pk: g for g in groups}
    assert set(by_customer) == {cast.customer_a1.pk, cast.customer_a2.pk}
    mine = by_customer[cast.customer_a1.pk]
    assert [o.number for o in mine.orders] == [shipped.number, delivered.number]
    assert mine.total == shipped.total + delivered.total - D("40.00")
    assert [o.number for o in by_customer[cast.customer_a2.pk].orders] == [other.number]


def test_only_the_lab_admin_sees_pending(cast):
    with pytest.raises(Forbidden):
        pending.pending(cast.tech_a, "lab-a")
    with pytest.raises(Forbidden):
        pending.pending(cast.dentist_a1, "lab-a")
    with pytest.raises(NotFound):
        pending.pending(cast.admin_b, "lab-a")


def test_mark_all_paid_pays_each_order_what_it_owes_and_completes_the_delivered_ones(cast):
    shipped, delivered = order_of(cast, "shipped"), order_of(cast, "delivered")
    payments.record_payment(cast.admin_a, delivered.number, amount=D("40.00"))
    paid = pending.mark_all_paid(cast.admin_a, "lab-a", [shipped.number, delivered.number], method="bank transfer")
    assert sorted((p.order.number, p.amount) for p in paid) == sorted(
        [(shipped.number, shipped.total), (delivered.number, delivered.total - D("40.00"))]
    )
    assert Order.objects.get(pk=delivered.pk).status == "completed"
    assert Order.objects.get(pk=shipped.pk).status == "shipped"
    assert Order.objects.get(pk=shipped.pk).amount_due == 0
    assert pending.pending(cast.admin_a, "lab-a") == []


def test_one_order_that_cannot_be_paid_refuses_them_all_and_is_named(cast):
    first, draft, third = order_of(cast, "delivered"), order_of(cast, "draft"), order_of(cast, "shipped")
    with pytest.raises(InvalidInput) as refused:
        pending.mark_all_paid(cast.admin_a, "lab-a", [first.number, draft.number, third.number])
    assert refused.value.field == "orders[1]"
    assert draft.display_number in refused.value.message
    assert not Payment.objects.exists()
    assert Order.objects.get(pk=first.pk).status == "delivered"


def test_an_order_already_paid_refuses_the_lot(cast):
    first, done = order_of(cast, "delivered"), order_of(cast, "completed")
    with pytest.raises(InvalidInput, match="nothing is due") as refused:
        pending.mark_all_paid(cast.admin_a, "lab-a", [first.number, done.number])
    assert refused.value.field == "orders[1]"
    assert not Payment.objects.filter(order=first).exists()


@pytest.mark.parametrize("numbers, field", [([], "orders"), (["nope"], "orders[0]"), (["#ABCDEF0123"], "orders[0]")])
def test_mark_all_paid_refuses_names_that_are_no_order_of_the_lab(cast, numbers, field):
    with pytest.raises(InvalidInput) as refused:
        pending.mark_all_paid(cast.admin_a, "lab-a", numbers)
    assert refused.value.field == field


def test_an_order_named_twice_is_refused(cast):
    order = order_of(cast, "delivered")
    with pytest.raises(InvalidInput) as refused:
        pending.mark_all_paid(cast.admin_a, "lab-a", [order.number, f"#{order.number.lower()}"])
    assert refused.value.field == "orders[1]"


def test_another_labs_order_is_not_found_in_this_lab(cast):
    theirs = make_order(cast.admin_b, cast.customer_b, status="delivered", service=cast.service_b)
    with pytest.raises(InvalidInput) as refused:
        pending.mark_all_paid(cast.admin_a, "lab-a", [theirs.number])
    assert refused.value.field == "orders[0]"
    assert not Payment.objects.exists()


# ---- the API -------------------------------------------------------------------------------


def test_the_api_lists_pending_orders_for_the_lab_admin(cast, api):
    order = order_of(cast, "delivered")
    response = api(cast.admin_a).get("/labs/lab-a/pending")
    assert response.status_code == 200
    [group] = response.json()
    assert group["total"] == f"{order.total:.2f}"
    assert [o["number"] for o in group["orders"]] == [order.number]
    assert api(cast.tech_a).get("/labs/lab-a/pending").status_code == 403
    assert api(cast.dentist_a1).get("/labs/lab-a/pending").status_code == 403
    assert api(cast.admin_b).get("/labs/lab-a/pending").status_code == 404


def test_a_retry_with_the_same_idempotency_key_lands_once(cast, api):
    first, second = order_of(cast, "delivered"), order_of(cast, "shipped")
    admin = api(cast.admin_a)
    body = {"orders": [first.number, second.number], "method": "bank transfer"}
    one = admin.post("/labs/lab-a/pending/mark-paid", body, HTTP_IDEMPOTENCY_KEY="month-end-1")
    two = admin.post("/labs/lab-a/pending/mark-paid", body, HTTP_IDEMPOTENCY_KEY="month-end-1")
    assert one.status_code == two.status_code == 201
    assert one.json() == two.json()
    assert Payment.objects.count() == 2
    assert one.json()["total"] == f"{first.total + second.total:.2f}"


def test_a_refused_mark_paid_names_the_order_in_the_api(cast, api):
    first, draft = order_of(cast, "delivered"), order_of(cast, "draft")
    response = api(cast.admin_a).post("/labs/lab-a/pending/mark-paid", {"orders": [first.number, draft.number]})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "orders[1]"
    assert not Payment.objects.exists()


# ---- the page ------------------------------------------------------------------------------


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_pending_page_shows_each_customer_with_a_mark_all_as_paid(cast):
    order = order_of(cast, "delivered")
    page = signed_in(cast.admin_a).get("/billing/pending/")
    assert page.status_code == 200
    assert order.display_number in page.content.decode()
    assert f"/billing/pending/{cast.customer_a1.pk}/mark-paid/" in page.content.decode()


def test_mark_all_as_paid_asks_for_a_confirmation_and_then_pays(cast):
    first, second = order_of(cast, "delivered"), order_of(cast, "shipped")
    admin = signed_in(cast.admin_a)
    confirm = admin.get(f"/billing/pending/{cast.customer_a1.pk}/mark-paid/")
    assert confirm.status_code == 200
    assert not Payment.objects.exists()
    assert "Confirm" in confirm.content.decode()
    done = admin.post(
        "/billing/pending/mark-paid/",
        {"orders": [first.number, second.number], "method": "cash", "customer": cast.customer_a1.pk},
    )
    assert done.status_code == 302
    assert Payment.objects.count() == 2
    again = admin.post("/billing/pending/mark-paid/", {"orders": [first.number], "customer": cast.customer_a1.pk})
    assert again.status_code == 422
    assert Payment.objects.count() == 2


def test_a_technician_gets_no_pending_page(cast):
    assert signed_in(cast.tech_a).get("/billing/pending/").status_code == 403
