"""Pricebooks (a clinic's or a customer's own prices) and the lab's exchange rates.

Only `crownline.pricing.services` writes these rows; `crownline.pricing.quotes` reads them
when an order's lines are priced. An order keeps the prices it was given: changing a
pricebook or a rate never reprices an order that exists.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from crownline.catalog.models import MONEY, Service
from crownline.customers.models import Clinic, Customer
from crownline.pricing.arithmetic import PriceRule
from crownline.tenancy.models import Lab


class Pricebook(models.Model):
    lab = models.ForeignKey(Lab, on_delete=models.CASCADE, related_name="pricebooks")
    name = models.CharField(max_length=100)
    notes = models.TextField(blank=True, max_length=1000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["lab", "name"], name="unique_pricebook_name_per_lab")]
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class PricebookPrice(models.Model):
    """One service's rule in a pricebook: a percentage off, an amount off, or a price of its own.
    Amounts are in the lab's working currency (converted for a customer billed in another)."""

    pricebook = models.ForeignKey(Pricebook, on_delete=models.CASCADE, related_name="prices")
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="+")
    rule = models.CharField(max_length=20, choices=[(r.value, r.value) for r in PriceRule])
    value = models.DecimalField(**MONEY)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["pricebook", "service"], name="one_price_per_service_and_pricebook"),
            models.CheckConstraint(condition=models.Q(value__gte=0), name="pricebook_value_not_negative"),
        ]
        ordering = ["service__name", "id"]

    def __str__(self) -> str:
        return f"{self.service_id}: {self.rule} {self.value}"


class PricebookLink(models.Model):
    """Who a pricebook prices: a clinic (all its dentists) or one customer (a dentist without a
    clinic, or one priced apart from it). A customer's own link wins over their clinic's."""

    pricebook = models.ForeignKey(Pricebook, on_delete=models.CASCADE, related_name="links")
    clinic = models.OneToOneField(Clinic, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    customer = models.OneToOneField(Customer, null=True, blank=True, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(clinic__isnull=True, customer__isnull=False)
                | models.Q(clinic__isnull=False, customer__isnull=True),
                name="pricebook_link_names_one_party",
            )
        ]

    def __str__(self) -> str:
        return f"{self.pricebook_id} -> clinic {self.clinic_id} / customer {self.customer_id}"


class RateSource(models.TextChoices):
    MANUAL = "manual", "Entered by the lab"
    ECB = "ecb", "European Central Bank file"


class ExchangeRate(models.Model):
    """1 unit of the lab's working currency is `rate` units of `currency`, from `valid_on` until
    the next recorded date. An order takes the latest rate on or before the day it is priced."""

    lab = models.ForeignKey(Lab, on_delete=models.CASCADE, related_name="exchange_rates")
    currency = models.CharField(max_length=3)
    rate = models.DecimalField(max_digits=20, decimal_places=10)
    valid_on = models.DateField()
    source = models.CharField(max_length=10, choices=RateSource.choices, default=RateSource.MANUAL)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["lab", "currency", "valid_on"], name="one_rate_per_lab_currency_day"),
            models.CheckConstraint(condition=models.Q(rate__gt=0), name="exchange_rate_positive"),
        ]
        ordering = ["currency", "-valid_on"]

    def __str__(self) -> str:
        return f"1 {self.lab_id} = {self.rate} {self.currency} ({self.valid_on})"
