"""Issuing invoices: what may be billed together, totals to the cent, gapless numbers, history."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import transaction

from crownline.billing import invoices, numbering
from crownline.billing.models import DocumentKind, Invoice, InvoiceSequence
from crownline.errors import Conflict, Forbidden, InvalidInput, NotFound
from crownline.orders import services
from crownline.orders.models import Order
from crownline.tenancy.models import PatientOnInvoice
from tests.billing.invoice_world import taxed_services, two_rate_order
from tests.factories import LabFactory, make_order

D = Decimal


def delivered(cast, customer=None, **kwargs) -> Order:
    return make_order(cast.admin_a, customer or cast.customer_a1, status="delivered", service=cast.service_a, **kwargs)


def reload(order: Order) -> Order:
    return Order.objects.get(pk=order.pk)


def test_an_invoice_of_two_discounted_orders_at_two_tax_rates_adds_up_to_their_totals(cast):
    pair = taxed_services(cast.lab_a)
    first = two_rate_order(cast, discount=("percent", "10"), crown_and_model=pair)
    second = two_rate_order(cast, discount=("amount", "25.00"), crown_and_model=pair)

    invoice = invoices.create_invoice(cast.admin_a, "lab-a", [second.number, first.number])

    assert invoice.gross == first.total + second.total
    assert invoice.net + invoice.tax == invoice.gross
    assert invoice.tax == first.tax_amount + second.tax_amount
    rates = {r["rate"]: r for r in invoice.snapshot["rates"]}
    assert set(rates) == {"7.00", "19.00"}
    assert sum(D(r["gross"]) for r in rates.values()) == invoice.gross
    # Each order's tax as the order rounded it: the invoice's tax per rate is their sum.
    assert D(rates["19.00"]["tax"]) + D(rates["7.00"]["tax"]) == invoice.tax
    lines = list(invoice.lines.all())
    assert sum((ln.net for ln in lines), D("0")) == invoice.net
    discounts = [ln for ln in lines if ln.net < 0]
    assert len(discounts) == 4  # one per order and tax rate
    assert sum((-ln.net for ln in discounts), D("0")) == first.discount_amount + second.discount_amount


def test_the_lines_name_service_order_patient_teeth_and_shade(cast):
    order = two_rate_order(cast, patient="Erika Mustermann")
    invoice = invoices.create_invoice(cast.admin_a, "lab-a", [order.number])
    crown = invoice.lines.get(position=1)
    assert (
        crown.description
        == f"Zirconia crown · order #{order.number} · patient Erika Mustermann · teeth 11, 21 · shade A2"
    )
    assert (crown.quantity, crown.unit_price, crown.net, crown.tax_rate) == (2, D("271.13"), D("542.26"), D("19.00"))
    assert crown.order_id == order.pk


def test_a_lab_that_prints_initials_names_the_patient_by_initials(cast):
    cast.lab_a.invoice_patient = PatientOnInvoice.INITIALS
    cast.lab_a.save()
    order = two_rate_order(cast, patient="Erika Mustermann")
    invoice = invoices.create_invoice(cast.admin_a, "lab-a", [order.number])
    assert "patient E. M." in invoice.lines.get(position=1).description
    assert "Mustermann" not in str(invoice.snapshot)


def test_the_due_date_follows_the_customers_payment_terms(cast):
    cast.customer_a1.payment_terms_days = 14
    cast.customer_a1.save()
    invoice = invoices.create_invoice(cast.admin_a, "lab-a", [delivered(cast).number])
    assert invoice.issued_on == cast.lab_a.local_date()
    assert invoice.due_on == invoice.issued_on + dt.timedelta(days=14)


def test_invoicing_marks_each_order_with_an_event_and_keeps_its_status(cast):
    order = delivered(cast)
    invoice = invoices.create_invoice(cast.admin_a, "lab-a", [order.number])
    after = reload(order)
    assert after.invoice_number == invoice.number
    assert after.status == "delivered"
    assert after.version == order.version + 1
    event = after.events.last()
    assert (event.action, event.from_status, event.to_status) == ("invoice", "delivered", "delivered")
    assert event.data == {"invoice": invoice.number}


def test_numbers_are_sequential_per_lab_and_kind(cast):
    made = [invoices.create_invoice(cast.admin_a, "lab-a", [delivered(cast).number]) for _ in range(3)]
    year = cast.lab_a.local_date().year
    assert [i.number for i in made] == [f"LAB-A-{year}-{n:04d}" for n in (1, 2, 3)]
    lab_b = make_order(cast.admin_b, cast.customer_b, status="delivered", service=cast.service_b)
    assert invoices.create_invoice(cast.admin_b, "lab-b", [lab_b.number]).number == f"LAB-B-{year}-0001"


def test_each_year_starts_again_at_one(cast):
    with transaction.atomic():
        assert numbering.take_next(cast.lab_a, DocumentKind.INVOICE, 2025) == 1
        assert numbering.take_next(cast.lab_a, DocumentKind.INVOICE, 2025) == 2
        assert numbering.take_next(cast.lab_a, DocumentKind.INVOICE, 2026) == 1
        assert numbering.take_next(cast.lab_a, DocumentKind.CREDIT_NOTE, 2026) == 1
    assert numbering.document_number(cast.lab_a, DocumentKind.CREDIT_NOTE, 2026, 7) == "LAB-A-2026-CN0007"


def test_a_labs_credit_note_never_has_the_number_of_another_labs_invoice(cast):
    lab_a_cn = LabFactory(slug="lab-a-cn")
    numbers = {
        numbering.document_number(lab, kind, 2026, 1)
        for lab in (cast.lab_a, lab_a_cn) for kind in (DocumentKind.INVOICE, DocumentKind.CREDIT_NOTE)
    }
    assert len(numbers) == 4


def test_an_invoice_dated_last_year_takes_last_years_sequence(cast):
    today = cast.lab_a.local_date()
    last_year = today.replace(year=today.year - 1, month=12, day=31)
    old = invoices.create_invoice(cast.admin_a, "lab-a", [delivered(cast).number], issued_on=last_year)
    new = invoices.create_invoice(cast.admin_a, "lab-a", [delivered(cast).number])
    assert old.number == f"LAB-A-{today.year - 1}-0001"
    assert new.number == f"LAB-A-{today.year}-0001"


def test_a_refused_invoice_leaves_no_gap(cast):
    good = delivered(cast)
    other_customer = delivered(cast, cast.customer_a2)
    with pytest.raises(InvalidInput):
        invoices.create_invoice(cast.admin_a, "lab-a", [good.number, other_customer.number])
    first = invoices.create_invoice(cast.admin_a, "lab-a", [good.number])
    assert first.sequence == 1
    assert InvoiceSequence.objects.get(lab=cast.lab_a, kind="invoice").last == 1


def test_a_later_number_cannot_carry_an_earlier_date(cast):
    year = cast.lab_a.local_date().year - 1
    invoices.create_invoice(cast.admin_a, "lab-a", [delivered(cast).number], issued_on=dt.date(year, 12, 31))
    with pytest.raises(InvalidInput) as refused:
        invoices.create_invoice(cast.admin_a, "lab-a", [delivered(cast).number], issued_on=dt.date(year, 12, 30))
    assert refused.value.field == "issued_on"
    assert Invoice.objects.count() == 1
    assert InvoiceSequence.objects.get(lab=cast.lab_a, year=year).last == 1


def test_an_invoice_is_not_dated_in_the_future(cast):
    with pytest.raises(InvalidInput) as refused:
        invoices.create_invoice(
            cast.admin_a, "lab-a", [delivered(cast).number], issued_on=cast.lab_a.local_date() + dt.timedelta(days=1)
        )
    assert refused.value.field == "issued_on"


def test_orders_of_two_customers_are_refused_and_nothing_changes(cast):
    mine, theirs = delivered(cast), delivered(cast, cast.customer_a2)
    with pytest.raises(InvalidInput) as refused:
        invoices.create_invoice(cast.admin_a, "lab-a", [mine.number, theirs.number])
    assert refused.value.field == "orders"
    assert reload(mine).invoice_number == reload(theirs).invoice_number == ""
    assert not Invoice.objects.exists()


def test_an_order_already_invoiced_is_refused(cast):
    order = delivered(cast)
    invoice = invoices.create_invoice(cast.admin_a, "lab-a", [order.number])
    with pytest.raises(Conflict, match=invoice.number):
        invoices.create_invoice(cast.admin_a, "lab-a", [order.number])


def test_several_orders_must_be_delivered_or_completed(cast):
    done = delivered(cast)
    shipped = make_order(cast.admin_a, cast.customer_a1, status="shipped", service=cast.service_a)
    with pytest.raises(Conflict, match="delivered or completed"):
        invoices.create_invoice(cast.admin_a, "lab-a", [done.number, shipped.number])
    completed = make_order(cast.admin_a, cast.customer_a1, status="completed", service=cast.service_a)
    invoice = invoices.create_invoice(cast.admin_a, "lab-a", [done.number, completed.number])
    assert invoice.gross == done.total + completed.total


def test_a_single_order_may_be_invoiced_from_published_on(cast):
    published = make_order(cast.admin_a, cast.customer_a1, status="published", service=cast.service_a)
    invoice = invoices.create_invoice(cast.admin_a, "lab-a", [published.number])
    assert reload(published).invoice_number == invoice.number


@pytest.mark.parametrize("status", ["draft", "cancelled"])
def test_a_draft_or_cancelled_order_is_never_invoiced(cast, status):
    order = make_order(cast.admin_a, cast.customer_a1, status=status, service=cast.service_a)
    with pytest.raises(Conflict):
        invoices.create_invoice(cast.admin_a, "lab-a", [order.number])


def test_an_order_of_another_lab_is_not_found_in_this_one(cast):
    theirs = make_order(cast.admin_b, cast.customer_b, status="delivered", service=cast.service_b)
    with pytest.raises(InvalidInput) as refused:
        invoices.create_invoice(cast.admin_a, "lab-a", [theirs.number])
    assert refused.value.field == "orders"


def test_only_the_lab_admin_issues_invoices(cast):
    order = delivered(cast)
    with pytest.raises(Forbidden):
        invoices.create_invoice(cast.tech_a, "lab-a", [order.number])
    with pytest.raises(Forbidden):
        invoices.create_invoice(cast.dentist_a1, "lab-a", [order.number])
    with pytest.raises(NotFound):
        invoices.create_invoice(cast.admin_b, "lab-a", [order.number])
    assert not Invoice.objects.exists()


def test_an_invoiced_order_cannot_be_cancelled_taken_down_or_re_lined(cast):
    from crownline.orders import drafting
    from crownline.orders.drafting import LineInput, OrderInput

    published = make_order(cast.admin_a, cast.customer_a1, status="published", service=cast.service_a)
    invoice = invoices.create_invoice(cast.admin_a, "lab-a", [published.number])
    with pytest.raises(Conflict, match=f"issue a credit note for invoice {invoice.number} first"):
        services.cancel_order(cast.admin_a, published.number, reason="patient moved")
    with pytest.raises(Conflict, match="credit note"):
        services.takedown_order(cast.dentist_a1, published.number)
    with pytest.raises(Conflict, match="credit note"):
        drafting.edit_order(
            cast.admin_a,
            published.number,
            OrderInput(lines=[LineInput(service=cast.service_a.pk, quantity=3)], given={"lines"}),
        )
    after = reload(published)
    assert (after.status, after.total) == ("published", published.total)


def test_last_month_makes_one_invoice_per_customer_of_orders_delivered_last_month(cast):
    first, last = invoices.last_month(cast.lab_a)
    a1_one, a1_two, a2_one = delivered(cast), delivered(cast), delivered(cast, cast.customer_a2)
    this_month = delivered(cast)
    already = delivered(cast)
    invoices.create_invoice(cast.admin_a, "lab-a", [already.number])
    # Delivered last month, as the parcel's record says.
    Order.objects.filter(pk__in=[a1_one.pk, a1_two.pk, a2_one.pk, already.pk]).update(delivered_on=last)
    Order.objects.filter(pk=a1_two.pk).update(delivered_on=first)

    made = invoices.invoice_last_month(cast.admin_a, "lab-a")

    assert len(made) == 2
    by_customer = {i.customer_id: i for i in made}
    assert by_customer[cast.customer_a1.pk].gross == a1_one.total + a1_two.total
    assert by_customer[cast.customer_a2.pk].gross == a2_one.total
    assert reload(this_month).invoice_number == ""
    assert {reload(o).invoice_number for o in (a1_one, a1_two)} == {by_customer[cast.customer_a1.pk].number}
    assert invoices.invoice_last_month(cast.admin_a, "lab-a") == []


def test_a_technician_sees_no_invoice_and_another_customer_finds_none(cast):
    invoice = invoices.create_invoice(cast.admin_a, "lab-a", [delivered(cast).number])
    assert invoices.get_invoice_for(cast.dentist_a1, invoice.number)[0] == invoice
    with pytest.raises(Forbidden):
        invoices.get_invoice_for(cast.tech_a, invoice.number)
    for stranger in (cast.dentist_a2, cast.admin_b, cast.dentist_b):
        with pytest.raises(NotFound):
            invoices.get_invoice_for(stranger, invoice.number)
