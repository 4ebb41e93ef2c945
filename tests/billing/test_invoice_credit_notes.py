"""Credit notes: full, whole orders, an amount over the tax rates; never more than is uncredited."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from crownline.billing import credits, invoices
from crownline.billing.models import Invoice
from crownline.errors import Conflict, Forbidden, InvalidInput, NotFound
from crownline.orders import services
from crownline.orders.models import Order
from tests.billing.invoice_world import taxed_services, two_rate_order
from tests.factories import make_order

D = Decimal


@pytest.fixture
def billed(cast):
    """An invoice of two discounted orders at 19 % and 7 % of dentist A1."""
    pair = taxed_services(cast.lab_a)
    first = two_rate_order(cast, discount=("percent", "10"), crown_and_model=pair)
    second = two_rate_order(cast, crown_and_model=pair)
    invoice = invoices.create_invoice(cast.admin_a, "lab-a", [first.number, second.number])
    return invoice, first, second


def reload(order: Order) -> Order:
    return Order.objects.get(pk=order.pk)


def test_a_full_credit_note_credits_every_line_and_frees_the_orders(cast, billed):
    invoice, first, second = billed
    note = credits.create_credit_note(cast.admin_a, invoice.number, reason="issued by mistake")
    assert note.number == f"LAB-A-{invoice.year}-CN0001"
    assert (note.kind, note.credits, note.reason) == ("credit_note", invoice, "issued by mistake")
    assert (note.net, note.tax, note.gross) == (invoice.net, invoice.tax, invoice.gross)
    assert [ln.description for ln in note.lines.all()] == [ln.description for ln in invoice.lines.all()]
    for order in (first, second):
        after = reload(order)
        assert after.invoice_number == ""
        assert after.events.last().action == "credit"
        assert after.events.last().data == {"invoice": invoice.number, "credit_note": note.number}


def test_nothing_more_is_credited_after_a_full_credit(cast, billed):
    invoice, *_ = billed
    credits.create_credit_note(cast.admin_a, invoice.number, reason="mistake")
    with pytest.raises(Conflict, match="credited in full"):
        credits.create_credit_note(cast.admin_a, invoice.number, reason="again")
    with pytest.raises(Conflict):
        credits.create_credit_note(cast.admin_a, invoice.number, reason="again", amount=D("0.01"))


def test_crediting_one_order_frees_it_and_leaves_the_other_billed(cast, billed):
    invoice, first, second = billed
    note = credits.create_credit_note(cast.admin_a, invoice.number, reason="remake", orders=[first.number])
    assert note.gross == first.total
    assert reload(first).invoice_number == ""
    assert reload(second).invoice_number == invoice.number
    assert all(ln.order_id == first.pk for ln in note.lines.all())
    # The freed order can be billed again; the other one is still on the invoice.
    again = invoices.create_invoice(cast.admin_a, "lab-a", [first.number])
    assert again.gross == first.total
    with pytest.raises(InvalidInput, match="credited already"):
        credits.create_credit_note(cast.admin_a, invoice.number, reason="again", orders=[first.number])


def test_an_amount_is_spread_over_the_rates_exactly(cast, billed):
    invoice, first, second = billed
    note = credits.create_credit_note(cast.admin_a, invoice.number, reason="goodwill", amount=D("100.00"))
    assert note.gross == D("100.00")
    assert note.net + note.tax == note.gross
    assert {ln.tax_rate for ln in note.lines.all()} == {D("7.00"), D("19.00")}
    # A partial amount frees no order: they are still billed by the invoice.
    assert reload(first).invoice_number == reload(second).invoice_number == invoice.number
    left = credits.remaining(invoice)
    assert left.gross == invoice.gross - D("100.00")


def test_more_than_what_is_uncredited_is_refused(cast, billed):
    invoice, first, _ = billed
    with pytest.raises(InvalidInput) as refused:
        credits.create_credit_note(cast.admin_a, invoice.number, reason="x", amount=invoice.gross + D("0.01"))
    assert refused.value.field == "amount"
    credits.create_credit_note(cast.admin_a, invoice.number, reason="goodwill", amount=invoice.gross - D("10.00"))
    with pytest.raises(InvalidInput):
        credits.create_credit_note(cast.admin_a, invoice.number, reason="x", amount=D("10.01"))
    # Crediting a whole order now would take more than is left at its rates.
    with pytest.raises(InvalidInput, match="more than what is still uncredited"):
        credits.create_credit_note(cast.admin_a, invoice.number, reason="x", orders=[first.number])
    assert Invoice.objects.filter(kind="credit_note").count() == 1


def test_the_last_amount_credits_the_rest_exactly_and_frees_the_orders(cast, billed):
    invoice, first, second = billed
    credits.create_credit_note(cast.admin_a, invoice.number, reason="goodwill", amount=D("33.33"))
    rest = credits.create_credit_note(cast.admin_a, invoice.number, reason="closing", amount=invoice.gross - D("33.33"))
    assert credits.remaining(invoice).gross == 0
    assert all(v == (0, 0) for v in credits.remaining(invoice).rates.values())
    notes = Invoice.objects.filter(credits=invoice)
    assert sum(n.net for n in notes) == invoice.net and sum(n.tax for n in notes) == invoice.tax
    assert rest.snapshot["credited_orders"]
    assert reload(first).invoice_number == reload(second).invoice_number == ""


def test_a_full_credit_after_an_amount_credits_the_rest_per_rate(cast, billed):
    invoice, first, _ = billed
    credits.create_credit_note(cast.admin_a, invoice.number, reason="goodwill", amount=D("50.00"))
    rest = credits.create_credit_note(cast.admin_a, invoice.number, reason="cancelled")
    assert rest.gross == invoice.gross - D("50.00")
    assert credits.remaining(invoice).gross == 0
    assert reload(first).invoice_number == ""


def test_an_amount_in_more_decimals_than_the_currency_has_is_refused(cast, billed):
    invoice, *_ = billed
    with pytest.raises(InvalidInput) as refused:
        credits.create_credit_note(cast.admin_a, invoice.number, reason="x", amount=D("1.005"))
    assert refused.value.field == "amount"


def test_a_credit_note_needs_a_reason_and_names_orders_of_the_invoice(cast, billed):
    invoice, *_ = billed
    with pytest.raises(InvalidInput) as refused:
        credits.create_credit_note(cast.admin_a, invoice.number, reason="  ")
    assert refused.value.field == "reason"
    stranger = make_order(cast.admin_a, cast.customer_a1, status="delivered", service=cast.service_a)
    with pytest.raises(InvalidInput) as refused:
        credits.create_credit_note(cast.admin_a, invoice.number, reason="x", orders=[stranger.number])
    assert refused.value.field == "orders"


def test_a_credit_note_is_not_credited_itself(cast, billed):
    invoice, *_ = billed
    note = credits.create_credit_note(cast.admin_a, invoice.number, reason="x", amount=D("1.00"))
    with pytest.raises(Conflict):
        credits.create_credit_note(cast.admin_a, note.number, reason="x")


def test_only_the_lab_admin_issues_credit_notes(cast, billed):
    invoice, *_ = billed
    with pytest.raises(Forbidden):
        credits.create_credit_note(cast.dentist_a1, invoice.number, reason="x")
    with pytest.raises(Forbidden):
        credits.create_credit_note(cast.tech_a, invoice.number, reason="x")
    for stranger in (cast.dentist_a2, cast.admin_b):
        with pytest.raises(NotFound):
            credits.create_credit_note(stranger, invoice.number, reason="x")
    assert not Invoice.objects.filter(kind="credit_note").exists()


def test_an_invoiced_order_is_cancelled_only_after_its_credit_note(cast):
    order = make_order(cast.admin_a, cast.customer_a1, status="produced", service=cast.service_a)
    invoice = invoices.create_invoice(cast.admin_a, "lab-a", [order.number])
    with pytest.raises(Conflict, match=f"issue a credit note for invoice {invoice.number} first"):
        services.cancel_order(cast.admin_a, order.number, reason="patient moved")
    assert reload(order).status == "produced"
    credits.create_credit_note(cast.admin_a, invoice.number, reason="order cancelled")
    services.cancel_order(cast.admin_a, order.number, reason="patient moved")
    assert reload(order).status == "cancelled"


CENTS = st.integers(min_value=0, max_value=10**9).map(lambda c: D(c) / 100)


@given(
    left=st.dictionaries(
        st.sampled_from([D("0"), D("7.00"), D("7.70"), D("19.00")]), st.tuples(CENTS, CENTS), min_size=1, max_size=4
    ),
    share=st.fractions(min_value=0, max_value=1),
)
@settings(max_examples=300, deadline=None)
def test_an_amount_spread_over_the_rates_adds_up_and_stays_within_each_rate(left, share):
    whole = sum((n + t for n, t in left.values()), D("0"))
    assume(whole > 0)
    amount = (whole * D(share.numerator) / D(share.denominator)).quantize(D("0.01"), rounding="ROUND_DOWN")
    assume(amount > 0)
    taken = credits._spread(amount, left, "EUR")
    assert sum((n + t for n, t in taken.values()), D("0")) == amount
    for rate, (net, tax) in taken.items():
        assert 0 <= net <= left[rate][0] and 0 <= tax <= left[rate][1], (rate, net, tax, left[rate])
        assert net == net.quantize(D("0.01")) and tax == tax.quantize(D("0.01"))
