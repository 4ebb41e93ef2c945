"""Orders, their lines, history, tracking numbers, payments and comments.

Only `services.py` writes these rows. Status, version and the money totals are kept
on the order row itself so that one row lock serialises every change to an order and
list pages need no aggregate queries.
"""

from __future__ import annotations

import secrets
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce

from crownline.catalog.models import MONEY, Service, money_in_range
from crownline.customers.models import Customer, Patient
from crownline.orders.lifecycle import Status
from crownline.tenancy.models import Lab

STATUS_CHOICES = [(s.value, s.name.title()) for s in Status]


class OrderQuerySet(models.QuerySet["Order"]):
    def with_content(self) -> OrderQuerySet:
        """The order's lab, customer, patient, and its lines with their services: what every
        page of an order shows (the order page loads its tasks itself)."""
        return self.select_related("lab", "customer", "patient").prefetch_related(lines_with_services())

    def detailed(self) -> OrderQuerySet:
        """Everything the API's answer and the print read, in a fixed number of queries however
        many orders a list holds: `with_content()` and the task counts.

        The task counts are per-row subqueries, not a JOIN + GROUP BY over the list: grouped,
        the database would have to count the tasks of every matching order before it could
        sort and cut out one page (seconds at a million orders); as subqueries it counts the
        page's only. They go through the `tasks` relation the work plan declares on Order.
        """
        return self.with_content().annotate(tasks_total=_task_count(), tasks_done=_task_count(done=True))


def _task_count(**only: object) -> Coalesce:
    # The work plan's Task model, reached through its relation (the workplan app sits above).
    task = Order._meta.get_field("tasks").related_model
    counted = task.objects.filter(order=OuterRef("pk"), **only).order_by().values("order").annotate(n=Count("pk"))
    return Coalesce(Subquery(counted.values("n"), output_field=models.IntegerField()), 0)


def new_order_number() -> str:
    """10 random upper-case hex characters; shown with a leading '#'."""
    return secrets.token_hex(5).upper()


class Order(models.Model):
    # No single-column indexes on lab and customer: the composite indexes below start with
    # them, and every extra index is one more write on every status change.
    lab = models.ForeignKey(Lab, on_delete=models.PROTECT, related_name="orders", db_index=False)
    number = models.CharField(max_length=10, unique=True, default=new_order_number)
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="orders", db_index=False)
    patient = models.ForeignKey(Patient, null=True, blank=True, on_delete=models.PROTECT, related_name="orders")
    status = models.CharField(max_length=20, choices=STATUS_CHOICES, default=Status.DRAFT.value)
    cancelled_from = models.CharField(max_length=20, choices=STATUS_CHOICES, blank=True)
    # Bumped by every change; the optimistic-lock token behind ETag / If-Match.
    version = models.PositiveIntegerField(default=1)
    due_date = models.DateField(null=True, blank=True)
    notes = models.TextField(blank=True, max_length=4000)
    currency = models.CharField(max_length=3)
    total = models.DecimalField(**MONEY, default=Decimal("0"))
    amount_paid = models.DecimalField(**MONEY, default=Decimal("0"))
    published_at = models.DateTimeField(null=True, blank=True)
    production_date = models.DateField(null=True, blank=True)
    delivered_on = models.DateField(null=True, blank=True)
    tracking_number = models.CharField(max_length=64, blank=True)
    carrier = models.CharField(max_length=100, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OrderQuerySet.as_manager()

    class Meta:
        # Each list query's filter and sort, so a page is an index range scan at any size
        # (the id breaks ties for cursor paging); see bench/ for the measurements.
        indexes = [
            models.Index(fields=["lab", "status", "-created_at", "-id"], name="order_lab_status_created_id"),
            models.Index(fields=["lab", "-created_at", "-id"], name="order_lab_created_id"),
            models.Index(fields=["customer", "-created_at"], name="order_customer_created"),
        ]
        constraints = [
            money_in_range("total", name="order_total_in_range"),
            money_in_range("amount_paid", name="order_amount_paid_in_range"),
        ]

    def __str__(self) -> str:
        return self.display_number

    @property
    def display_number(self) -> str:
        return f"#{self.number}"

    @property
    def amount_due(self) -> Decimal:
        return max(self.total - self.amount_paid, Decimal("0"))

    @property
    def etag(self) -> str:
        return f'"{self.number}-{self.version}"'


class OrderLine(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveIntegerField()
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="+")
    quantity = models.PositiveIntegerField(default=1, validators=[MinValueValidator(1)])
    teeth = models.JSONField(default=list, blank=True)
    shade = models.CharField(max_length=20, blank=True)
    unit_price = models.DecimalField(**MONEY)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            money_in_range("unit_price", name="order_line_unit_price_in_range"),
            models.CheckConstraint(condition=models.Q(quantity__gte=1), name="order_line_quantity_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} x service {self.service_id}"

    @property
    def line_total(self) -> Decimal:
        return self.unit_price * self.quantity


def lines_with_services() -> models.Prefetch:
    """An order's lines with their services: one query for both, not one per table."""
    return models.Prefetch("lines", queryset=OrderLine.objects.select_related("service"))


class OrderEvent(models.Model):
    """Append-only history: one row per action, written in the transaction of the change."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    actor_role = models.CharField(max_length=20, blank=True)
    action = models.CharField(max_length=40)
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.action}: {self.from_status} -> {self.to_status}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise RuntimeError("order events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RuntimeError("order events are append-only")


class TrackingNumber(models.Model):
    """Every tracking number an order had; the newest is mirrored on the order."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="tracking_numbers")
    number = models.CharField(max_length=64)
    carrier = models.CharField(max_length=100, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.number


class Payment(models.Model):
    """Money received for an order. A cancelled payment is voided, never deleted."""

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="payments")
    amount = models.DecimalField(**MONEY, validators=[MinValueValidator(Decimal("0.01"))])
    method = models.CharField(max_length=50, blank=True)
    reference = models.CharField(max_length=100, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    voided_at = models.DateTimeField(null=True, blank=True)
    voided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    void_reason = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [money_in_range("amount", name="payment_amount_in_range", minimum=Decimal("0.01"))]

    def __str__(self) -> str:
        return f"{self.amount} ({self.method})"


class Comment(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    body = models.TextField(max_length=4000)
    # Internal comments are for the lab's staff only; a customer never reads them.
    internal = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.body[:50]
