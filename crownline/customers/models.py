"""Dentists (the lab's customers), their clinics and their patients."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from crownline.tenancy.models import Lab


class Clinic(models.Model):
    lab = models.ForeignKey(Lab, on_delete=models.CASCADE, related_name="clinics")
    name = models.CharField(max_length=200)
    address = models.TextField(blank=True, max_length=1000)
    phone = models.CharField(max_length=50, blank=True)

    def __str__(self) -> str:
        return self.name


class Customer(models.Model):
    """A dentist as a customer of one lab.

    The login is optional: a lab records customers before inviting them. One dentist login
    can be a customer of several labs, one Customer row per lab.
    """

    lab = models.ForeignKey(Lab, on_delete=models.CASCADE, related_name="customers")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="customer_records"
    )
    clinic = models.ForeignKey(Clinic, null=True, blank=True, on_delete=models.SET_NULL, related_name="customers")
    name = models.CharField(max_length=200)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=50, blank=True)
    # ---- billing (crownline.billing) ----
    # Blank: the lab's working currency. Another of the lab's payment currencies bills this
    # customer's orders, invoices and balance in it (prices converted when lines are priced).
    billing_currency = models.CharField(max_length=3, blank=True)
    payment_terms_days = models.PositiveSmallIntegerField(default=30)
    # Name, address and tax number as the customer's invoices print them (the name if blank).
    invoice_details = models.TextField(blank=True, max_length=1000)
    # ---- outsourcing (crownline.outsourcing) ----
    # This customer is a partner lab that sends this lab work: its orders arrive from that lab.
    partner_lab = models.ForeignKey(Lab, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["lab", "user"], condition=models.Q(user__isnull=False), name="one_customer_per_login_and_lab"
            ),
            models.UniqueConstraint(
                fields=["lab", "partner_lab"], condition=models.Q(partner_lab__isnull=False),
                name="one_customer_per_partner_lab",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def currency(self) -> str:
        """The currency this customer's orders, invoices and balance are in."""
        return self.billing_currency or self.lab.currency


class Patient(models.Model):
    """A patient of one customer; the lab knows them by name or by the dentist's code."""

    lab = models.ForeignKey(Lab, on_delete=models.CASCADE, related_name="patients")
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="patients")
    name = models.CharField(max_length=200)

    def __str__(self) -> str:
        return self.name
