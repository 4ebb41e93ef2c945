"""A backup restored into an emptied database gives back every order, event and payment."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.forms.models import model_to_dict

from crownline.demo.seed import seed
from crownline.orders.models import Order, OrderEvent, OrderLine, Payment, TrackingNumber
from crownline.workplan.models import Task

MODELS = [Order, OrderLine, OrderEvent, Payment, TrackingNumber, Task]


def snapshot() -> dict[str, list[dict]]:
    return {m.__name__: [model_to_dict(o) | {"pk": o.pk} for o in m.objects.order_by("pk")] for m in MODELS}


@pytest.mark.django_db(transaction=True)
def test_a_backup_restored_into_an_empty_database_has_every_order_event_and_payment(tmp_path):
    seed("pw-for-backups")
    payments = Payment.objects.count()
    assert set(Order.objects.values_list("status", flat=True)) == {
        "draft", "published", "production", "produced", "shipped", "delivered", "completed", "cancelled",
    }
    assert payments > 0
    before = snapshot()
    backup_file = tmp_path / "crownline.backup"

    call_command("backup", str(backup_file))
    call_command("flush", "--noinput")
    assert Order.objects.count() == 0 and OrderEvent.objects.count() == 0
    call_command("restore", str(backup_file))

    assert snapshot() == before
    assert Payment.objects.count() == payments


@pytest.mark.django_db
def test_restoring_from_a_missing_file_is_refused_with_a_clear_message(tmp_path):
    with pytest.raises(CommandError, match="no backup file"):
        call_command("restore", str(tmp_path / "nothing-here"))
