"""The lab's service catalogue: what it sells and the tasks each service takes."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models

from crownline.tenancy.models import Lab

MONEY = {"max_digits": 12, "decimal_places": 2}


class Service(models.Model):
    lab = models.ForeignKey(Lab, on_delete=models.CASCADE, related_name="services")
    name = models.CharField(max_length=200)
    group = models.CharField(max_length=100, blank=True)
    price = models.DecimalField(**MONEY, validators=[MinValueValidator(Decimal("0"))])
    currency = models.CharField(max_length=3)
    is_active = models.BooleanField(default=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["lab", "name"], name="unique_service_name_per_lab")]
        ordering = ["group", "name"]

    def __str__(self) -> str:
        return self.name


class TaskTemplate(models.Model):
    """One step of a service, copied into an order's work plan by "Create automatically"."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="task_templates")
    position = models.PositiveIntegerField()
    name = models.CharField(max_length=200)
    default_pay = models.DecimalField(**MONEY, default=Decimal("0"), validators=[MinValueValidator(Decimal("0"))])

    class Meta:
        ordering = ["service_id", "position", "id"]

    def __str__(self) -> str:
        return self.name
