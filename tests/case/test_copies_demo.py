"""The demo shows copies, a remake and a changed customer (issue 13)."""

from __future__ import annotations

import pytest

from crownline.orders.models import Order, OrderEvent
from tests.test_demo import run_demo

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_copy_a_remake_and_a_changed_customer():
    run_demo()
    lab = "demo-dental-lab"
    copy = Order.objects.get(lab__slug=lab, copied_from__isnull=False)
    assert copy.status == "draft" and copy.patient.name == "Lena Vogel (repeat)"
    remake = Order.objects.get(lab__slug=lab, remake_of__isnull=False)
    assert (remake.remake_reason, remake.remake_payer, remake.remake_of.status) == ("fit", "lab", "delivered")
    changed = OrderEvent.objects.get(order__lab__slug=lab, action="change-customer")
    assert changed.order.customer.name == "Dr. Paul Paper"
