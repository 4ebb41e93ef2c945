"""The prices section's demo data: added to the seeded demo lab, through the services, twice safely."""

from __future__ import annotations

from decimal import Decimal

from crownline.catalog.models import Service
from crownline.customers.models import Customer
from crownline.demo.money_pricing import seed_pricing
from crownline.demo.seed import seed
from crownline.pricing.models import ExchangeRate, Pricebook
from crownline.tenancy.models import Lab
from tests.pricing.helpers import order_for


def test_the_demo_lab_gets_a_pricebook_rates_and_a_customer_billed_in_chf(db):
    seed()
    lab = Lab.objects.get(slug="demo-dental-lab")

    seed_pricing(lab)
    seed_pricing(lab)

    book = Pricebook.objects.get(lab=lab)
    assert sorted(p.rule for p in book.prices.all()) == ["amount_off", "fixed_price", "percent_off"]
    assert book.links.get().clinic.name == "Smile Clinic"
    assert ExchangeRate.objects.filter(lab=lab).count() == 3
    swiss = Customer.objects.get(lab=lab, name="Dr. Lena Berg")
    crown = Service.objects.get(lab=lab, name="Zirconia crown")
    order = order_for(swiss.lab.memberships.get(role="lab_admin").user, swiss, crown)
    # 180 EUR at 0.9318 = 167.72 CHF, the lab's default 7 % tax: 11.7404 -> 11.74.
    assert (order.currency, order.exchange_rate, order.total) == ("CHF", Decimal("0.9318"), Decimal("179.46"))
    lab.refresh_from_db()
    assert (lab.iban, lab.billing_currencies) == ("DE89370400440532013000", ["EUR", "CHF", "USD"])
