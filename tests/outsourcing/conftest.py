"""Lab A sends, lab B is its partner: the cast's labs linked, lab B's catalogue, lab B's technician."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core import mail

from crownline.outsourcing import links, sending
from tests.factories import MembershipFactory, ServiceFactory


@pytest.fixture
def tech_b(cast):
    """Lab B's technician: a partner lab's person who works on the partner's orders."""
    return MembershipFactory(lab=cast.lab_b, role="technician", user__username="tech-b").user


@pytest.fixture
def invited(cast):
    """Lab A's admin invited lab B's admin by e-mail; returns the link and the e-mail's token."""
    cast.admin_b.email = "admin-b@example.com"
    cast.admin_b.save(update_fields=["email"])
    link, raw = links.invite_partner(cast.admin_a, "lab-a", email="admin-b@example.com")
    assert raw in mail.outbox[-1].body
    return link, raw


@pytest.fixture
def linked(cast, invited):
    """Lab A and lab B linked: lab B's admin accepted lab A's invitation."""
    _, raw = invited
    return links.accept(cast.admin_b, raw, "lab-b")


@pytest.fixture
def partner_service(cast):
    """Lab B's service of the same name as lab A's, at lab B's own price (lab A's cost)."""
    return ServiceFactory(lab=cast.lab_b, name=cast.service_a.name, price=Decimal("60.00"), templates=["Mill"])


@pytest.fixture
def send(cast, linked, partner_service):
    """`send(order)`: lab A's admin sends every line of the order to lab B."""

    def build(order, **kwargs):
        choices = [sending.LineChoice(line.pk) for line in order.lines.all()]
        return sending.send_order(cast.admin_a, order.number, partner="lab-b", lines=choices, **kwargs)

    return build
