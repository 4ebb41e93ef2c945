"""The lab's service catalogue: what it sells and the tasks each service takes."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from crownline.numbers import MONEY, MONEY_MAX
from crownline.tenancy.models import TAX_RATE, Lab

__all__ = ["MONEY", "Service", "TaskTemplate", "money_in_range"]


def money_in_range(field: str, *, name: str, minimum: Decimal = Decimal("0")) -> models.CheckConstraint:
    """The database's own guard of a money column: the services check first (422 naming the
    field), this backs them up against any writer that forgets (SQLite would store the value
    and then fail to read it back)."""
    return models.CheckConstraint(
        condition=models.Q(**{f"{field}__gte": minimum, f"{field}__lte": MONEY_MAX}), name=name
    )


class Service(models.Model):
    lab = models.ForeignKey(Lab, on_delete=models.CASCADE, related_name="services")
    name = models.CharField(max_length=200)
    group = models.CharField(max_length=100, blank=True)
    price = models.DecimalField(**MONEY, validators=[MinValueValidator(Decimal("0"))])
    currency = models.CharField(max_length=3)
    is_active = models.BooleanField(default=True)
    # Percent; null means the lab's default rate (`Lab.default_tax_rate`), read when a line is priced.
    tax_rate = models.DecimalField(**TAX_RATE, null=True, blank=True)
    # DSO's average production time, in the lab's working days (crownline.schedule): a new
    # order's due date defaults to its publish date plus the largest of its services'.
    production_days = models.PositiveSmallIntegerField(null=True, blank=True, validators=[MaxValueValidator(365)])

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["lab", "name"], name="unique_service_name_per_lab"),
            money_in_range("price", name="service_price_in_range"),
        ]
        ordering = ["group", "name"]

    def __str__(self) -> str:
        return self.name

    def effective_tax_rate(self) -> Decimal:
        return self.tax_rate if self.tax_rate is not None else self.lab.default_tax_rate


class TaskTemplate(models.Model):
    """One step of a service, copied into an order's work plan by "Create automatically"."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="task_templates")
    position = models.PositiveIntegerField()
    name = models.CharField(max_length=200)
    default_pay = models.DecimalField(**MONEY, default=Decimal("0"), validators=[MinValueValidator(Decimal("0"))])

    class Meta:
        constraints = [money_in_range("default_pay", name="task_template_pay_in_range")]
        ordering = ["service_id", "position", "id"]

    def __str__(self) -> str:
        return self.name
