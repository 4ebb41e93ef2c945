"""Monthly statements: opening balance, the month's rows, closing balance; JSON, CSV, PDF."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.test import Client

from crownline.billing import balances, invoices, statements
from crownline.billing.models import Advance
from crownline.errors import Forbidden, InvalidInput, NotFound
from crownline.orders import payments
from tests.factories import make_order

D = Decimal


def month_of(day: dt.date) -> str:
    return f"{day:%Y-%m}"


def previous_month(day: dt.date) -> dt.date:
    return day.replace(day=1) - dt.timedelta(days=1)


@pytest.fixture
def history(cast):
    """Dentist A1: an advance of 30.00 last month; this month an invoice, a payment, an advance."""
    today = cast.lab_a.local_date()
    balances.add_advance(
        cast.admin_a,
        "lab-a",
        cast.customer_a1.pk,
        amount=D("30.00"),
        received_on=previous_month(today),
        method="=cmd|' /C calc'!A0",
    )
    order = make_order(cast.admin_a, cast.customer_a1, status="delivered", service=cast.service_a)
    invoice = invoices.create_invoice(cast.admin_a, "lab-a", [order.number])
    payments.record_payment(cast.admin_a, order.number, amount=D("20.00"), method="bank transfer")
    balances.add_advance(cast.admin_a, "lab-a", cast.customer_a1.pk, amount=D("5.00"))
    return today, invoice


def test_a_statement_opens_with_last_months_closing_balance_and_closes_with_this_months_rows(cast, history):
    today, invoice = history
    last = statements.statement(cast.admin_a, "lab-a", cast.customer_a1.pk, month_of(previous_month(today)))
    this = statements.statement(cast.admin_a, "lab-a", cast.customer_a1.pk, month_of(today))
    assert (last.opening, last.closing) == (0, D("-30.00"))
    assert this.opening == last.closing
    assert [r.kind for r in this.rows] == ["invoice", "payment", "advance"]
    assert (this.invoiced, this.credited, this.received) == (invoice.gross, 0, D("25.00"))
    assert this.closing == this.opening + this.invoiced - this.credited - this.received
    assert this.closing == balances.balance_of(cast.customer_a1).account


def test_a_month_without_rows_opens_and_closes_with_the_same_balance(cast, history):
    today, _ = history
    future = statements.statement(cast.admin_a, "lab-a", cast.customer_a1.pk, f"{today.year + 1}-01")
    assert future.rows == []
    assert future.opening == future.closing == balances.balance_of(cast.customer_a1).account


ARABIC_INDIC_MONTH = "\u0662\u0660\u0662\u0666-\u0660\u0661"  # 2026-01 in Arabic-Indic digits


@pytest.mark.parametrize("month", ["2026-13", "2026-00", "0000-01", "2026-1", "26-01", "", ARABIC_INDIC_MONTH])
def test_a_month_is_written_yyyy_mm(cast, month):
    with pytest.raises(InvalidInput) as refused:
        statements.statement(cast.admin_a, "lab-a", cast.customer_a1.pk, month)
    assert refused.value.field == "month"


def test_the_last_month_of_the_calendar_has_an_end(cast):
    s = statements.statement(cast.admin_a, "lab-a", cast.customer_a1.pk, "9999-12")
    assert s.month.end == dt.date(9999, 12, 31)


def test_the_csv_has_stable_columns_and_exact_amounts(cast, history):
    today, invoice = history
    s = statements.statement(cast.admin_a, "lab-a", cast.customer_a1.pk, month_of(today))
    rows = list(csv.DictReader(io.StringIO(statements.statement_csv(s))))
    assert list(rows[0]) == [
        "date",
        "entry",
        "reference",
        "description",
        "amount",
        "balance",
        "funds_change",
        "funds",
        "currency",
    ]
    assert rows[0]["entry"] == "opening_balance" and rows[0]["balance"] == "-30.00"
    assert rows[-1]["entry"] == "closing_balance" and rows[-1]["balance"] == f"{s.closing:.2f}"
    invoice_row = next(r for r in rows if r["entry"] == "invoice")
    assert (invoice_row["reference"], invoice_row["amount"]) == (invoice.number, f"{invoice.gross:.2f}")
    assert {r["currency"] for r in rows} == {"EUR"}


def test_text_that_a_spreadsheet_would_run_is_quoted(cast, history):
    today, _ = history
    s = statements.statement(cast.admin_a, "lab-a", cast.customer_a1.pk, month_of(previous_month(today)))
    [advance] = [r for r in csv.DictReader(io.StringIO(statements.statement_csv(s))) if r["entry"] == "advance"]
    assert advance["description"].startswith("'=")


def test_a_dentist_reads_their_own_statement_only(cast):
    month = month_of(cast.lab_a.local_date())
    assert statements.statement(cast.dentist_a1, "lab-a", cast.customer_a1.pk, month).customer == cast.customer_a1
    with pytest.raises(NotFound):
        statements.statement(cast.dentist_a2, "lab-a", cast.customer_a1.pk, month)
    with pytest.raises(Forbidden):
        statements.statement(cast.tech_a, "lab-a", cast.customer_a1.pk, month)
    with pytest.raises(NotFound):
        statements.statement(cast.admin_b, "lab-a", cast.customer_a1.pk, month)


# ---- the API and the files -----------------------------------------------------------------


def test_the_statement_api_answers_json_csv_and_pdf(cast, api, history):
    today, _ = history
    path = f"/labs/lab-a/customers/{cast.customer_a1.pk}/statements/{month_of(today)}"
    admin = api(cast.admin_a)
    body = admin.get(path).json()
    assert (body["month"], body["opening_balance"]) == (month_of(today), "-30.00")
    assert body["closing_balance"] == f"{balances.balance_of(cast.customer_a1).account:.2f}"
    as_csv = admin.get(f"{path}.csv")
    assert as_csv.status_code == 200 and as_csv["Content-Type"].startswith("text/csv")
    assert as_csv.content.decode().startswith("date,entry,reference")
    as_pdf = admin.get(f"{path}.pdf")
    assert as_pdf.status_code == 200 and as_pdf.content.startswith(b"%PDF")


@pytest.mark.parametrize("month", ["2026-13", "2026-1", "march"])
def test_the_api_refuses_a_month_that_is_not_one(cast, api, month):
    for suffix in ("", ".csv", ".pdf"):
        response = api(cast.admin_a).get(f"/labs/lab-a/customers/{cast.customer_a1.pk}/statements/{month}{suffix}")
        assert response.status_code == 422, suffix


def test_the_statement_files_follow_the_same_rules(cast, api):
    path = f"/labs/lab-a/customers/{cast.customer_a1.pk}/statements/{month_of(cast.lab_a.local_date())}.csv"
    assert api(cast.dentist_a1).get(path).status_code == 200
    assert api(cast.dentist_a2).get(path).status_code == 404
    assert api(cast.tech_a).get(path).status_code == 403
    assert api(cast.admin_b).get(path).status_code == 404


def test_the_statement_pages_serve_the_files_to_the_dentist_and_refuse_the_technician(cast, history):
    today, _ = history
    path = f"/billing/statements/{cast.customer_a1.pk}/{month_of(today)}.csv"
    for user, status in [(cast.dentist_a1, 200), (cast.admin_a, 200), (cast.dentist_a2, 404), (cast.tech_a, 403)]:
        client = Client()
        client.force_login(user)
        assert client.get(path).status_code == status, user
    assert Advance.objects.count() == 2
