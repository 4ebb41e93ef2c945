"""The dentist's Bills page: in the lab they work in now, their orders to pay and paid, their
invoices, their monthly statements and their balance. Only their own customer records: the
query starts from them (`customer_ids` of their standing), never from an id in the URL."""

from __future__ import annotations

from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path

from crownline.billing import balances, statements
from crownline.billing.models import Invoice
from crownline.customers.models import Customer
from crownline.orders.access import visible_orders
from crownline.orders.lifecycle import Status
from crownline.pages import lab_context, lab_page

PAID_SHOWN = 20


@lab_page
def bills(request: HttpRequest) -> HttpResponse:
    here = lab_context(request)
    if here.is_staff:
        return render(request, "billing/balances/bills_staff.html", {"nav": "bills"}, status=403)
    customers = Customer.objects.filter(lab=here.lab, pk__in=here.standing.customer_ids).select_related("lab")
    accounts = []
    for customer in customers.order_by("name", "id"):
        orders = (
            visible_orders(request.user, lab_id=here.lab.id)
            .filter(customer=customer)
            .exclude(status__in=[Status.DRAFT, Status.CANCELLED])
            .select_related("patient")
        )
        accounts.append(
            {
                "customer": customer,
                "balance": balances.balance_of(customer),
                "to_pay": orders.filter(total__gt=F("amount_paid")).order_by("created_at", "id"),
                "paid": orders.filter(total__gt=0, amount_paid__gte=F("total")).order_by("-updated_at", "-id")[
                    :PAID_SHOWN
                ],
                # The list shows numbers and totals: not each document's snapshot and stored PDF.
                "invoices": Invoice.objects.filter(customer=customer).defer("pdf", "snapshot")
                .order_by("-issued_on", "-id")[:50],
                "months": statements.statement_months(customer),
            }
        )
    return render(request, "billing/balances/bills.html", {"nav": "bills", "accounts": accounts})


urlpatterns = [path("bills/", bills, name="bills")]
