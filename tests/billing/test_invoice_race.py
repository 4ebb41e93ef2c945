"""Real threads issuing invoices and credit notes at once: numbers stay gapless and unique, and
no invoice is credited past its total.

PostgreSQL only (SQLite serialises writers itself and has no row locks); each thread has its
own database connection, closed when the thread ends.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model

from crownline.billing import credits, invoices
from crownline.billing.models import Invoice, InvoiceSequence
from tests import races
from tests.factories import make_order

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]

THREADS = 8


def own_user(user):
    """A separate user object per thread: the lab roles are cached on the object."""
    return get_user_model().objects.get(pk=user.pk)


def race(work):
    results, alive = races.race(work, THREADS)
    assert not alive, "a thread is still waiting"
    crashed = [r for r in results if r[0] not in ("ok", "refused")]
    assert not crashed, crashed
    return results


def test_eight_invoices_issued_at_once_are_numbered_1_to_8_without_gap_or_duplicate(cast):
    orders = [
        make_order(cast.admin_a, cast.customer_a1, status="delivered", service=cast.service_a) for _ in range(THREADS)
    ]
    admins = [own_user(cast.admin_a) for _ in range(THREADS)]
    assert not InvoiceSequence.objects.exists()  # the year's first invoice: the sequence row is created in the race

    results = race(lambda i: invoices.create_invoice(admins[i], "lab-a", [orders[i].number]).number)

    assert [kind for kind, _ in results] == ["ok"] * THREADS
    year = cast.lab_a.local_date().year
    assert sorted(number for _, number in results) == [f"LAB-A-{year}-{n:04d}" for n in range(1, THREADS + 1)]
    assert sorted(Invoice.objects.values_list("sequence", flat=True)) == list(range(1, THREADS + 1))
    assert InvoiceSequence.objects.get(lab=cast.lab_a, kind="invoice", year=year).last == THREADS


def test_eight_credit_notes_at_once_never_credit_more_than_the_invoice(cast):
    order = make_order(cast.admin_a, cast.customer_a1, status="delivered", service=cast.service_a)
    invoice = invoices.create_invoice(cast.admin_a, "lab-a", [order.number])
    assert invoice.gross == Decimal("100.00")
    admins = [own_user(cast.admin_a) for _ in range(THREADS)]

    results = race(
        lambda i: (
            credits.create_credit_note(
                admins[i], invoice.number, reason=f"goodwill {i}", amount=Decimal("30.00")
            ).number
        )
    )

    ok = [number for kind, number in results if kind == "ok"]
    assert len(ok) == 3  # 90.00 of 100.00; a fourth would pass the total
    notes = Invoice.objects.filter(credits=invoice)
    assert sum(n.gross for n in notes) == Decimal("90.00")
    assert sorted(n.sequence for n in notes) == [1, 2, 3]
