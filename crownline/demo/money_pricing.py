"""Demo data of the prices section: the lab's money settings, CHF and USD rates, a Swiss customer
billed in CHF, and the Smile Clinic's pricebook (one rule of each kind), all written through the
services so they obey every rule a lab admin does. It creates no order: the demo's orders, made
after it, are priced from it. Safe to run twice."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from crownline.catalog.models import Service
from crownline.customers import services as customers
from crownline.customers.models import Clinic, Customer
from crownline.pricing import services as pricing
from crownline.pricing.models import ExchangeRate, Pricebook
from crownline.tenancy import services as tenancy
from crownline.tenancy.models import Lab, Membership

SMILE_PRICES = [
    ("Zirconia crown", "percent_off", "10"),
    ("PFM bridge unit", "amount_off", "15"),
    ("Night guard", "fixed_price", "85"),
]


def seed_pricing(lab: Lab) -> None:
    admin = Membership.objects.filter(lab=lab, role="lab_admin", is_active=True).order_by("id").first().user
    if not lab.legal_name:
        tenancy.update_settings(
            admin,
            lab.slug,
            {
                "default_tax_rate": Decimal("7"),
                "payment_currencies": "CHF USD",
                "legal_name": f"{lab.name} GmbH",
                "legal_address": "Hauptstraße 1\n10115 Berlin\nGermany",
                "tax_id": "DE123456789",
                "iban": "DE89370400440532013000",
                "bic": "COBADEFFXXX",
                "invoice_instructions": "Please transfer the amount within the payment terms, quoting the invoice "
                "number.",
                "invoice_patient": "initials",
                "balance_overdraft": Decimal("200"),
            },
        )
    lab.refresh_from_db()
    today = lab.local_date()
    for currency, rate, days_ago in [("CHF", "0.9412", 30), ("CHF", "0.9318", 1), ("USD", "1.0564", 1)]:
        if not ExchangeRate.objects.filter(
            lab=lab, currency=currency, valid_on=today - dt.timedelta(days_ago)
        ).exists():
            pricing.record_rate(
                admin, lab.slug, pricing.RateInput(currency, Decimal(rate), today - dt.timedelta(days_ago))
            )
    guard = Service.objects.filter(lab=lab, name="Night guard").first()
    if guard is not None and guard.tax_rate is None:
        Service.objects.filter(pk=guard.pk).update(tax_rate=Decimal("19"))  # an appliance: the full rate
    services = {s.name: s for s in Service.objects.filter(lab=lab)}
    clinic = Clinic.objects.filter(lab=lab, name="Smile Clinic").first()
    if clinic is not None and not Pricebook.objects.filter(lab=lab, name="Smile Clinic prices").exists():
        pricing.create_pricebook(
            admin,
            lab.slug,
            pricing.PricebookInput(
                name="Smile Clinic prices",
                notes="Agreed for the clinic's dentists from January.",
                prices=[
                    pricing.PriceInput(services[name].pk, rule, Decimal(value))
                    for name, rule, value in SMILE_PRICES
                    if name in services
                ],
                clinics=[clinic.pk],
            ),
        )
    if not Customer.objects.filter(lab=lab, name="Dr. Lena Berg").exists():
        # Billed in CHF: her orders are priced in francs at the lab's latest CHF rate.
        customers.create_customer(
            admin,
            lab.slug,
            name="Dr. Lena Berg",
            email="berg@zahnarzt.example",
            billing_currency="CHF",
            payment_terms_days=14,
            invoice_details="Dr. med. dent. Lena Berg\nBahnhofstrasse 10\n8001 Zürich",
        )
