"""Real threads accepting at once (PostgreSQL only: SQLite serialises writers itself)."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from crownline.customers.models import Customer
from crownline.invitations import acceptance
from crownline.tenancy.models import Membership
from tests import races
from tests.factories import invite

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]
THREADS = 6
User = get_user_model()


def outcomes(work) -> list[str]:
    results, alive = races.race(work, THREADS)
    assert not alive
    assert all(kind in ("ok", "refused") for kind, _ in results), results
    return sorted(kind for kind, _ in results)


def test_six_people_with_one_link_link_one_of_them(cast):
    _, token = invite(cast.admin_a, cast.lab_a, "one@example.com", role="technician")
    people = [User.objects.create_user(f"person-{i}") for i in range(THREADS)]

    kinds = outcomes(lambda i: acceptance.accept(User.objects.get(pk=people[i].pk), token))

    assert kinds == ["ok"] + ["refused"] * (THREADS - 1)
    assert Membership.objects.filter(lab=cast.lab_a, user__in=people).count() == 1


def test_one_login_accepting_six_links_of_one_lab_at_once_gets_one_customer_record(cast):
    tokens = [invite(cast.admin_b, cast.lab_b, f"a1-{i}@example.com", name=f"Dr. A1 {i}")[1] for i in range(THREADS)]

    kinds = outcomes(lambda i: acceptance.accept(User.objects.get(pk=cast.dentist_a1.pk), tokens[i]))

    assert kinds == ["ok"] + ["refused"] * (THREADS - 1)
    assert Customer.objects.filter(lab=cast.lab_b, user=cast.dentist_a1).count() == 1
