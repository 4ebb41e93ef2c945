"""Crownline's tables as unmanaged models: only the columns the benchmark's requests touch."""

from __future__ import annotations

from django.db import models


class Unmanaged(models.Model):
    class Meta:
        abstract = True
        managed = False

    def __str__(self) -> str:
        return f"{type(self).__name__} {self.pk}"


class User(Unmanaged):
    id = models.AutoField(primary_key=True)
    username = models.CharField(max_length=150)
    first_name = models.CharField(max_length=150)
    last_name = models.CharField(max_length=150)
    is_active = models.BooleanField()

    class Meta(Unmanaged.Meta):
        db_table = "auth_user"


class Lab(Unmanaged):
    slug = models.CharField(max_length=60)

    class Meta(Unmanaged.Meta):
        db_table = "tenancy_lab"


class Membership(Unmanaged):
    user = models.ForeignKey(User, models.DO_NOTHING, related_name="memberships")
    lab = models.ForeignKey(Lab, models.DO_NOTHING)
    role = models.CharField(max_length=20)
    is_active = models.BooleanField()

    class Meta(Unmanaged.Meta):
        db_table = "tenancy_membership"


class ApiToken(Unmanaged):
    user = models.ForeignKey(User, models.DO_NOTHING, related_name="tokens")
    key_hash = models.CharField(max_length=64)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True)

    class Meta(Unmanaged.Meta):
        db_table = "tenancy_apitoken"


class Customer(Unmanaged):
    name = models.CharField(max_length=200)

    class Meta(Unmanaged.Meta):
        db_table = "customers_customer"


class Patient(Unmanaged):
    name = models.CharField(max_length=200)

    class Meta(Unmanaged.Meta):
        db_table = "customers_patient"


class Service(Unmanaged):
    name = models.CharField(max_length=200)

    class Meta(Unmanaged.Meta):
        db_table = "catalog_service"


class Order(Unmanaged):
    lab = models.ForeignKey(Lab, models.DO_NOTHING)
    number = models.CharField(max_length=10)
    customer = models.ForeignKey(Customer, models.DO_NOTHING)
    patient = models.ForeignKey(Patient, models.DO_NOTHING, null=True)
    status = models.CharField(max_length=20)
    cancelled_from = models.CharField(max_length=20)
    version = models.IntegerField()
    due_date = models.DateField(null=True)
    notes = models.TextField()
    currency = models.CharField(max_length=3)
    total = models.DecimalField(max_digits=12, decimal_places=2)
    amount_paid = models.DecimalField(max_digits=12, decimal_places=2)
    published_at = models.DateTimeField(null=True)
    production_date = models.DateField(null=True)
    delivered_on = models.DateField(null=True)
    tracking_number = models.CharField(max_length=64)
    carrier = models.CharField(max_length=100)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta(Unmanaged.Meta):
        db_table = "orders_order"


class OrderLine(Unmanaged):
    order = models.ForeignKey(Order, models.DO_NOTHING, related_name="lines")
    position = models.IntegerField()
    service = models.ForeignKey(Service, models.DO_NOTHING)
    quantity = models.IntegerField()
    teeth = models.JSONField()
    shade = models.CharField(max_length=10)
    unit_price = models.DecimalField(max_digits=12, decimal_places=2)

    class Meta(Unmanaged.Meta):
        db_table = "orders_orderline"
        ordering = ["position"]


class OrderEvent(Unmanaged):
    order = models.ForeignKey(Order, models.DO_NOTHING)
    actor = models.ForeignKey(User, models.DO_NOTHING, null=True)
    actor_role = models.CharField(max_length=20)
    action = models.CharField(max_length=40)
    from_status = models.CharField(max_length=20)
    to_status = models.CharField(max_length=20)
    data = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta(Unmanaged.Meta):
        db_table = "orders_orderevent"


class Payment(Unmanaged):
    order = models.ForeignKey(Order, models.DO_NOTHING)
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    method = models.CharField(max_length=50)
    reference = models.CharField(max_length=100)
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(User, models.DO_NOTHING, null=True, related_name="+")
    voided_at = models.DateTimeField(null=True)
    void_reason = models.CharField(max_length=500)

    class Meta(Unmanaged.Meta):
        db_table = "orders_payment"


class Task(Unmanaged):
    order = models.ForeignKey(Order, models.DO_NOTHING, related_name="tasks")
    position = models.IntegerField()
    name = models.CharField(max_length=200)
    line_id = models.BigIntegerField(null=True)
    assignee = models.ForeignKey(User, models.DO_NOTHING, null=True, related_name="+")
    pay = models.DecimalField(max_digits=12, decimal_places=2)
    done = models.BooleanField()
    done_by = models.ForeignKey(User, models.DO_NOTHING, null=True, related_name="+")
    done_at = models.DateTimeField(null=True)

    class Meta(Unmanaged.Meta):
        db_table = "workplan_task"
