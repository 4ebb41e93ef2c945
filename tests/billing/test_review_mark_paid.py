"""Review findings on "Mark all as paid": one answer's total is in one currency."""

from __future__ import annotations

from crownline.orders import services
from crownline.orders.models import Order, Payment
from tests.factories import make_order
from tests.pricing.helpers import bills_in, customer_in, order_for, rate


def test_mark_all_paid_refuses_orders_in_different_currencies_rather_than_adding_them_up(cast, api):
    bills_in(cast.lab_a, "EUR", "CHF")
    rate(cast.lab_a, "CHF", "0.95")
    in_francs = order_for(cast.admin_a, customer_in(cast.lab_a, "CHF"), cast.service_a)
    services.publish_order(cast.admin_a, in_francs.number)
    in_euros = make_order(cast.admin_a, cast.customer_a1, status="published", service=cast.service_a)
    response = api(cast.admin_a).post("/labs/lab-a/pending/mark-paid", {"orders": [in_euros.number, in_francs.number]})
    # "total" has no currency: a sum of euros and francs is no amount at all.
    assert response.status_code == 422, response.json()
    assert "currenc" in response.json()["detail"]
    assert not Payment.objects.filter(order__in=[in_euros, in_francs]).exists()
    assert Order.objects.get(pk=in_francs.pk).amount_paid == 0
