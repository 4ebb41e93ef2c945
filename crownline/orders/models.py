"""Orders, their lines, history, tracking numbers, payments and comments.

Only `services.py` writes these rows. Status, version and the money totals are kept
on the order row itself so that one row lock serialises every change to an order and
list pages need no aggregate queries.
"""

from __future__ import annotations

import functools
import json
import secrets
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models.query import ModelIterable

from crownline.catalog.models import MONEY, Service, money_in_range
from crownline.customers.models import Customer, Patient
from crownline.numbers import round_money
from crownline.orders.choices import DueDateSource, RemakePayer, RemakeReason
from crownline.orders.lifecycle import Status
from crownline.pricing.arithmetic import DISCOUNT_KINDS
from crownline.tenancy.models import TAX_RATE, Lab

STATUS_CHOICES = [(s.value, s.name.title()) for s in Status]


# What every answer names beside the order: its lab and parties, and the orders it copies or
# remakes (their numbers; two joins on primary keys, null for most orders).
RELATED = ("lab", "customer", "patient", "copied_from", "remake_of")


class OrderQuerySet(models.QuerySet["Order"]):
    def with_content(self) -> OrderQuerySet:
        """The order's lab, customer, patient, and its lines with their services: what every
        page of an order shows (the order page loads its tasks itself)."""
        return self.select_related(*RELATED).prefetch_related(lines_with_services())

    def detailed(self) -> OrderQuerySet:
        """Everything the API's answer and the print read, in a fixed number of queries however
        many orders a list holds: `with_content()` and the task counts.

        The task counts are per-row subqueries, not a JOIN + GROUP BY over the list: grouped,
        the database would have to count the tasks of every matching order before it could
        sort and cut out one page (seconds at a million orders); as subqueries it counts the
        page's only. They go through the `tasks` relation the work plan declares on Order.
        """
        return self.with_content().annotate(**_task_counts())

    def answered(self) -> OrderQuerySet:
        """What the API's answer reads, in the one query that loads (and locks) the order: its
        lab, customer and patient, its lines with their services as one JSON array, and the
        task counts. An action's answer then needs no query after its write.

        The lines come back as `order.lines.all()`, like a prefetch, without its second query;
        the locking query may only lock the order itself (`FOR UPDATE OF`), and a subquery in
        its select list locks nothing.
        """
        qs = self.select_related(*RELATED).annotate(
            lines_json=OrderSQL(_LINES_JSON, models.TextField()), **_task_counts()
        )
        qs._iterable_class = _WithLinesFromJSON
        return qs


class OrderSQL(models.Expression):
    """A scalar subquery over one order's rows, written in SQL, for the queries every change runs.

    The same subqueries built with the ORM (`Subquery`, `OuterRef`, `JSONObject`) cost Django
    more Python to build and compile than they cost the database to run (about 3 ms of CPU per
    action, measured with bench/actions.py). `{order}` is the outer order's id column;
    `{json_agg}` and `{json_object}` name the vendor's JSON functions; the tables are
    `{line}`, `{service}`, `{task}`, `{user}`.
    """

    def __init__(self, sql: str, output_field: models.Field, params: tuple[Any, ...] = ()) -> None:
        super().__init__(output_field=output_field)
        self.sql, self.params = sql, params

    def as_sql(self, compiler, connection):
        quote = compiler.quote_name_unless_alias
        postgres = connection.vendor == "postgresql"
        text = self.sql.format(
            order=f"{quote(compiler.query.base_table)}.{quote('id')}",
            json_agg="JSONB_AGG" if postgres else "JSON_GROUP_ARRAY",
            json_object="JSONB_BUILD_OBJECT" if postgres else "JSON_OBJECT",
            **{name: connection.ops.quote_name(table) for name, table in _tables().items()},
        )
        return f"({text})", list(self.params)


@functools.cache
def _tables() -> dict[str, str]:
    """The tables the subqueries name (unquoted: the connection quotes them)."""
    models_by_name = {
        "line": OrderLine, "service": Service, "user": get_user_model(),
        "task": Order._meta.get_field("tasks").related_model,  # the work plan's, declared from above
    }
    return {name: model._meta.db_table for name, model in models_by_name.items()}


_LINES_JSON = (
    "SELECT {json_agg}({json_object}('id', {line}.id, 'position', {line}.position, 'service_id', {line}.service_id, "
    "'service_name', {service}.name, 'quantity', {line}.quantity, 'teeth', {line}.teeth, 'shade', {line}.shade, "
    "'unit_price', {line}.unit_price, 'list_price', {line}.list_price, 'tax_rate', {line}.tax_rate, "
    "'price_note', {line}.price_note)) "
    "FROM {line} INNER JOIN {service} ON {service}.id = {line}.service_id WHERE {line}.order_id = {order}"
)
_TASKS = "SELECT COUNT(*) FROM {task} WHERE {task}.order_id = {order}"


def _task_counts() -> dict[str, OrderSQL]:
    """The order's tasks, all and done, as per-row subqueries (one place for both shapes)."""
    return {"tasks_total": OrderSQL(_TASKS, models.IntegerField()),
            "tasks_done": OrderSQL(_TASKS + " AND {task}.done", models.IntegerField())}


class _WithLinesFromJSON(ModelIterable):
    def __iter__(self):
        for order in super().__iter__():
            _attach_lines(order, order.lines_json)
            yield order


def _attach_lines(order: Order, text: str | None) -> None:
    """Put the lines of `lines_json` where `order.lines.all()` finds them, as a prefetch does."""
    rows: list[dict[str, Any]] = json.loads(text, parse_float=Decimal) if text else []
    # As the columns' scale (SQLite hands the JSON a float): what the ORM would have read.
    mill, cent = Decimal("0.001"), Decimal("0.01")
    lines = []
    for row in sorted(rows, key=lambda r: (r["position"], r["id"])):
        teeth = row["teeth"]
        line = OrderLine(
            id=row["id"], order=order, position=row["position"], service_id=row["service_id"],
            quantity=row["quantity"], teeth=json.loads(teeth) if isinstance(teeth, str) else teeth,  # SQLite: text
            shade=row["shade"], unit_price=Decimal(str(row["unit_price"])).quantize(mill),  # SQLite: a float
            list_price=Decimal(str(row["list_price"])).quantize(mill), price_note=row["price_note"],
            tax_rate=Decimal(str(row["tax_rate"])).quantize(cent),
        )
        line.service = Service(id=row["service_id"], name=row["service_name"])
        line._state.adding, line._state.db = False, order._state.db
        lines.append(line)
    cached = order.lines.all()  # the relation's own queryset, its results already known
    cached._result_cache, cached._prefetch_done = lines, True
    order._prefetched_objects_cache = {**getattr(order, "_prefetched_objects_cache", {}), "lines": cached}


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
    # 1 unit of the lab's currency in `currency`, when the customer is billed in another one:
    # the rate of the day the order was created, kept so that its lines price the same later.
    exchange_rate = models.DecimalField(max_digits=20, decimal_places=10, null=True, blank=True)
    # The money of the order (crownline.pricing.arithmetic.order_totals), kept with the lines:
    # list prices, after the customer's pricebook, the order's own discount, tax, and `total`
    # (gross), the amount that makes it paid in full.
    discount_kind = models.CharField(max_length=10, choices=DISCOUNT_KINDS, blank=True)
    discount_value = models.DecimalField(**MONEY, default=Decimal("0"))
    list_total = models.DecimalField(**MONEY, default=Decimal("0"))
    subtotal = models.DecimalField(**MONEY, default=Decimal("0"))
    discount_amount = models.DecimalField(**MONEY, default=Decimal("0"))
    tax_amount = models.DecimalField(**MONEY, default=Decimal("0"))
    total = models.DecimalField(**MONEY, default=Decimal("0"))
    amount_paid = models.DecimalField(**MONEY, default=Decimal("0"))
    # The invoice that bills this order, until a credit note cancels it in full (crownline.billing).
    invoice_number = models.CharField(max_length=80, blank=True)
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
    # ---- the case (issue 13) ----
    # On hold: out of the work queues and My tasks until released, its due date flagged.
    on_hold = models.BooleanField(default=False)
    hold_reason = models.CharField(max_length=500, blank=True)
    # Sent for fitting (a try-in): out on `fitting_sent_on`, back on `fitting_back_on`; at the
    # dentist's while sent and not back. The history keeps every earlier try-in.
    fitting_sent_on = models.DateField(null=True, blank=True)
    fitting_back_on = models.DateField(null=True, blank=True)
    # The order this one copies (a repeat case) or remakes, with why and who pays the remake.
    copied_from = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    remake_of = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="remakes")
    remake_reason = models.CharField(max_length=20, choices=RemakeReason.choices, blank=True)
    remake_payer = models.CharField(max_length=10, choices=RemakePayer.choices, blank=True)
    # The patient's appointment (the dentist's, optional) and how the due date was set, in words
    # ("3 production days from Mon 2 Nov, counted in the lab's working days").
    appointment_date = models.DateField(null=True, blank=True)
    due_date_source = models.CharField(max_length=12, choices=DueDateSource.choices, blank=True)
    due_date_note = models.CharField(max_length=300, blank=True)
    # A partner lab's order made from this lab's order (crownline.outsourcing): the sender's order.
    outsourced_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="outsourced_to"
    )

    objects = OrderQuerySet.as_manager()

    class Meta:
        # Each list query's filter and sort, so a page is an index range scan at any size
        # (the id breaks ties for cursor paging); see bench/ for the measurements.
        indexes = [
            models.Index(fields=["lab", "status", "-created_at", "-id"], name="order_lab_status_created_id"),
            models.Index(fields=["lab", "-created_at", "-id"], name="order_lab_created_id"),
            models.Index(fields=["customer", "-created_at"], name="order_customer_created"),
            # The markers' filters: few orders are held, so a partial index stays small.
            models.Index(fields=["lab", "-created_at", "-id"], condition=models.Q(on_hold=True),
                         name="order_lab_on_hold"),
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
    def net_amount(self) -> Decimal:
        return self.subtotal - self.discount_amount

    @property
    def amount_due(self) -> Decimal:
        # In the currency's minor units: the columns hold three places, a EUR amount shows two.
        return round_money(max(self.total - self.amount_paid, Decimal("0")), self.currency)

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
    # The service's price when the line was priced (in the order's currency), and the price
    # after the customer's pricebook or the lab's own price: the line keeps both, whatever
    # happens to the catalogue or the pricebook later.
    list_price = models.DecimalField(**MONEY, default=Decimal("0"))
    unit_price = models.DecimalField(**MONEY)
    # Which pricebook rule gave `unit_price` ("Gold: 10 % off"), blank for the list price.
    price_note = models.CharField(max_length=120, blank=True)
    tax_rate = models.DecimalField(**TAX_RATE, default=Decimal("0"))

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
    amount = models.DecimalField(**MONEY, validators=[MinValueValidator(Decimal("0.001"))])
    method = models.CharField(max_length=50, blank=True)
    reference = models.CharField(max_length=100, blank=True)
    # Paid from the customer's prepaid funds (crownline.billing.balances), not money received.
    from_balance = models.BooleanField(default=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    voided_at = models.DateTimeField(null=True, blank=True)
    voided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    void_reason = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [money_in_range("amount", name="payment_amount_in_range", minimum=Decimal("0.001"))]

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
