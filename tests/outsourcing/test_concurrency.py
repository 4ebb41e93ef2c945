"""Linking and following at the same moment, with real threads (PostgreSQL only)."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from crownline.orders import services
from crownline.outsourcing import links, sending
from crownline.outsourcing.models import PartnerLink
from tests import races
from tests.factories import ServiceFactory, make_order

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


def own_user(user):
    """A separate user object per thread: the lab roles are cached on the object."""
    return get_user_model().objects.get(pk=user.pk)


def test_two_invitations_between_the_same_labs_accepted_at_once_make_one_link(cast):
    _, a_to_b = links.invite_partner(cast.admin_a, "lab-a", email="b@example.com")
    _, b_to_a = links.invite_partner(cast.admin_b, "lab-b", email="a@example.com")
    admins = [own_user(cast.admin_b), own_user(cast.admin_a)]

    def work(i: int):
        return links.accept(admins[i], (a_to_b, b_to_a)[i], ("lab-b", "lab-a")[i])

    results, alive = races.race(work, 2)
    assert not alive and sorted(r[0] for r in results) == ["ok", "refused"], results
    assert PartnerLink.objects.filter(status="active").count() == 1


def test_the_partner_moving_its_order_while_the_sender_sends_more_lines_loses_nothing(cast):
    """The partner's move locks its order, then the sender's; the sender's second hand-off locks
    the sender's order only: both finish, and the sender's history has the move."""
    _, raw = links.invite_partner(cast.admin_a, "lab-a", email="b@example.com")
    links.accept(cast.admin_b, raw, "lab-b")
    ServiceFactory(lab=cast.lab_b, name=cast.service_a.name)
    order = make_order(cast.admin_a, cast.customer_a1, status="published", service=cast.service_a, lines=2)
    first, second = order.lines.order_by("position")
    theirs = sending.send_order(
        cast.admin_a, order.number, partner="lab-b", lines=[sending.LineChoice(first.pk)]
    ).partner_order
    users = [own_user(cast.admin_b), own_user(cast.admin_a)]

    def work(i: int):
        if i == 0:
            return services.start_production(users[0], theirs.number, production_date=cast.lab_b.local_date())
        return sending.send_order(users[1], order.number, partner="lab-b", lines=[sending.LineChoice(second.pk)])

    results, alive = races.race(work, 2)
    assert not alive and [r[0] for r in results] == ["ok", "ok"], results
    assert order.events.filter(action="partner-status").get().data["status"] == "production"
    assert order.handoffs.count() == 2
