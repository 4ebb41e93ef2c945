"""The work plan of an order: the tasks the lab's technicians do, in order."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models

from crownline.catalog.models import MONEY, TaskTemplate, money_in_range
from crownline.orders.models import Order, OrderLine


class Task(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="tasks")
    # Set for tasks planned from a service line, so a line is never planned twice.
    line = models.ForeignKey(OrderLine, null=True, blank=True, on_delete=models.SET_NULL, related_name="tasks")
    template = models.ForeignKey(TaskTemplate, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    position = models.PositiveIntegerField()
    name = models.CharField(max_length=200)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="tasks"
    )
    # Lab-internal: what the technician earns for the task.
    pay = models.DecimalField(**MONEY, default=Decimal("0"), validators=[MinValueValidator(Decimal("0"))])
    done = models.BooleanField(default=False)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    done_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "id"]
        indexes = [models.Index(fields=["assignee", "done"], name="task_assignee_done")]
        constraints = [money_in_range("pay", name="task_pay_in_range")]

    def __str__(self) -> str:
        return self.name
