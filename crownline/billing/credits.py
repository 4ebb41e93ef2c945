"""Credit notes: the only correction of an issued invoice.

A credit note credits either the whole rest of an invoice, some of its orders in full (their
lines as invoiced), or an amount, spread over the invoice's tax rates in proportion to what is
still uncredited at each rate. It never credits more than is still uncredited, per rate (net
and tax), which the invoice row's lock keeps true under concurrent credit notes. An order
credited in full (or the last orders of an invoice credited to zero) is free again: it may be
invoiced anew, or cancelled.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction

from crownline.billing import numbering, snapshots
from crownline.billing.invoices import check_date_order, get_invoice_for, write_lines
from crownline.billing.models import DocumentKind, Invoice
from crownline.errors import Conflict, Forbidden, InvalidInput
from crownline.numbers import money_problem, money_step, round_money
from crownline.orders import invoicing
from crownline.orders.models import Order
from crownline.pricing.arithmetic import RateShare
from crownline.roles import Role

ZERO = Decimal("0")
HUNDRED = Decimal("100")
REASON_MAX = 500
Rates = dict[Decimal, tuple[Decimal, Decimal]]  # rate -> (net, tax)


@dataclass(frozen=True)
class Remaining:
    """What is still uncredited on an invoice: per rate, and which orders were credited in full."""

    rates: Rates
    credited_orders: frozenset[str]

    @property
    def gross(self) -> Decimal:
        return sum((n + t for n, t in self.rates.values()), ZERO)


def remaining(invoice: Invoice) -> Remaining:
    rates = snapshots.read_rates(invoice.snapshot["rates"])
    done: set[str] = set()
    for note in invoice.credit_notes.all():
        for rate, (net, tax) in snapshots.read_rates(note.snapshot["rates"]).items():
            left_net, left_tax = rates.get(rate, (ZERO, ZERO))
            rates[rate] = (left_net - net, left_tax - tax)
        done |= set(note.snapshot.get("credited_orders", []))
    return Remaining(rates, frozenset(done))


def _subtract(left: Rates, taken: Rates) -> None:
    for rate, (net, tax) in taken.items():
        have_net, have_tax = left.get(rate, (ZERO, ZERO))
        if net > have_net or tax > have_tax:
            raise InvalidInput("orders", "that is more than what is still uncredited on the invoice")


def _spread(amount: Decimal, left: Rates, currency: str) -> Rates:
    """`amount` (gross) over the rates in proportion to what is left at each, in whole minor
    units; each share split into net and tax at its rate, never past what is left."""
    step = money_step(currency)
    rates = sorted(r for r in left if left[r][0] + left[r][1] > 0)
    weights = [left[r][0] + left[r][1] for r in rates]
    whole = sum(weights, ZERO)
    units = int(amount / step)
    exact = [Decimal(units) * w / whole for w in weights]
    shares = [int(e) for e in exact]
    for i in sorted(range(len(rates)), key=lambda i: (exact[i] - shares[i], -i), reverse=True)[: units - sum(shares)]:
        shares[i] += 1
    out: Rates = {}
    for rate, units_of_rate in zip(rates, shares, strict=True):
        gross = Decimal(units_of_rate) * step
        left_net, left_tax = left[rate]
        if gross == left_net + left_tax:
            out[rate] = (left_net, left_tax)
            continue
        net = round_money(gross * HUNDRED / (HUNDRED + rate), currency)
        tax = gross - net
        if tax > left_tax:
            tax, net = left_tax, gross - left_tax
        if net > left_net:
            net, tax = left_net, gross - left_net
        out[rate] = (net, tax)
    return out


def _order_rates(invoice: Invoice, numbers: list[str]) -> Rates:
    taken: Rates = {}
    for part in invoice.snapshot["orders"]:
        if part["number"] in numbers:
            for rate, (net, tax) in snapshots.read_rates(part["rates"]).items():
                have_net, have_tax = taken.get(rate, (ZERO, ZERO))
                taken[rate] = (have_net + net, have_tax + tax)
    return taken


def _order_lines(invoice: Invoice, numbers: list[str]) -> list[snapshots.DraftLine]:
    """The invoice's own lines of these orders, as printed on it."""
    by_number = {f"#{n}": n for n in numbers}
    orders = {o.number: o for o in Order.objects.filter(number__in=numbers)}
    drafts = []
    for printed, line in zip(invoice.snapshot["lines"], invoice.lines.order_by("position"), strict=True):
        number = by_number.get(printed["order"])
        if number is None:
            continue
        drafts.append(
            snapshots.DraftLine(
                orders[number],
                line.description,
                line.quantity,
                line.unit_price,
                line.net,
                line.tax_rate,
                {k: v for k, v in printed.items() if k != "position"},
            )
        )
    return drafts


def _rate_lines(invoice: Invoice, taken: Rates, what: str) -> list[snapshots.DraftLine]:
    drafts = []
    several = len(taken) > 1
    for rate, (net, _tax) in sorted(taken.items()):
        description = f"{what}, invoice {invoice.number}" + (f" ({snapshots.rate_text(rate)} % tax)" if several else "")
        printed = {
            "kind": "credit",
            "order": "",
            "service": description,
            "patient": "",
            "teeth": "",
            "shade": "",
            "quantity": 1,
            "unit_price": snapshots.money_text(net),
            "list_price": "",
            "net": snapshots.money_text(net),
            "tax_rate": str(rate),
        }
        drafts.append(snapshots.DraftLine(None, description, 1, net, net, rate, printed))
    return drafts


def _clean_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput("reason", "say why the invoice is credited")
    if len(reason) > REASON_MAX:
        raise InvalidInput("reason", f"a reason has at most {REASON_MAX} characters")
    return reason


def create_credit_note(
    user, number: str, *, reason: str, orders: list[str] | None = None, amount: Decimal | None = None
) -> Invoice:
    """Credit the invoice `number`: in full (neither `orders` nor `amount`), whole `orders`, or
    an `amount` (gross). Lab admin only."""
    reason = _clean_reason(reason)
    if orders is not None and amount is not None:
        raise InvalidInput("amount", "credit either whole orders or an amount, not both")
    with transaction.atomic():
        # The invoice row's lock queues credit notes of one invoice (the row itself never changes).
        invoice, standing = get_invoice_for(user, number, for_update=True)
        if standing.role is not Role.ADMIN:
            raise Forbidden("Only the lab's admin issues credit notes.")
        if invoice.is_credit_note:
            raise Conflict(f"{invoice.number} is a credit note: credit the invoice it corrects.")
        left = remaining(invoice)
        if left.gross <= 0:
            raise Conflict(f"Invoice {invoice.number} is already credited in full.")
        billed = [p["number"] for p in invoice.snapshot["orders"] if p["number"] not in left.credited_orders]
        if orders is not None:
            wanted = list(dict.fromkeys(str(n).strip().lstrip("#").upper() for n in orders))
            if not wanted:
                raise InvalidInput("orders", "name at least one order of the invoice")
            unknown = [n for n in wanted if n not in billed]
            if unknown:
                raise InvalidInput(
                    "orders", f"order #{unknown[0]} is not on invoice {invoice.number} or was credited already"
                )
            taken = _order_rates(invoice, wanted)
            _subtract(left.rates, taken)
            lines = _order_lines(invoice, wanted)
            # Credited to zero (an amount took the rest before): every order it billed is free.
            left_after = left.gross - sum((n + t for n, t in taken.values()), ZERO)
            freed = billed if left_after == 0 else wanted
        elif amount is not None:
            if problem := money_problem(amount, currency=invoice.currency):
                raise InvalidInput("amount", problem)
            if amount <= 0:
                raise InvalidInput("amount", "a credit is more than zero")
            if amount > left.gross:
                raise InvalidInput("amount", f"at most {left.gross} is still uncredited on invoice {invoice.number}")
            taken = _spread(round_money(amount, invoice.currency), left.rates, invoice.currency)
            lines = _rate_lines(invoice, taken, "Credit")
            freed = billed if amount == left.gross else []
        else:
            taken = {r: v for r, v in left.rates.items() if v != (ZERO, ZERO)}
            if taken == _order_rates(invoice, billed):
                lines = _order_lines(invoice, billed)
            else:  # part was credited as an amount before: the rest, per rate
                lines = _rate_lines(invoice, taken, "Remaining amount")
            freed = billed
        return _issue_credit_note(user, invoice, taken, lines, freed, reason)


def _issue_credit_note(
    user, invoice: Invoice, taken: Rates, lines: list[snapshots.DraftLine], freed: list[str], reason: str
) -> Invoice:
    lab = invoice.lab
    issued_on = lab.local_date()
    year = issued_on.year
    sequence = numbering.take_next(lab, DocumentKind.CREDIT_NOTE, year)
    check_date_order(lab, DocumentKind.CREDIT_NOTE, year, issued_on)
    number = numbering.document_number(lab, DocumentKind.CREDIT_NOTE, year, sequence)
    rates = [RateShare(rate, net, ZERO, net, tax) for rate, (net, tax) in sorted(taken.items())]
    net = sum((r.net for r in rates), ZERO)
    tax = sum((r.tax for r in rates), ZERO)
    extra: dict[str, Any] = {
        "credits": {"number": invoice.number, "issued_on": invoice.issued_on.isoformat()},
        "reason": reason,
        "credited_orders": freed,
    }
    snapshot = snapshots.document(
        kind=DocumentKind.CREDIT_NOTE.value,
        number=number,
        issued_on=issued_on,
        due_on=issued_on,
        currency=invoice.currency,
        lab=lab,
        customer=invoice.customer,
        lines=lines,
        rates=rates,
        orders=[],
        extra=extra,
    )
    note = Invoice.objects.create(
        lab=lab,
        customer=invoice.customer,
        kind=DocumentKind.CREDIT_NOTE,
        number=number,
        year=year,
        sequence=sequence,
        issued_on=issued_on,
        due_on=issued_on,
        currency=invoice.currency,
        net=net,
        tax=tax,
        gross=net + tax,
        credits=invoice,
        reason=reason,
        snapshot=snapshot,
        created_by=user,
    )
    write_lines(note, lines)
    for order_number in sorted(freed, key=_pk_of):
        invoicing.mark_credited(user, order_number, invoice.number, number)
    return note


def _pk_of(number: str) -> int:
    # Orders are locked in primary-key order, as everywhere else.
    return Order.objects.filter(number=number).values_list("pk", flat=True).first() or 0
