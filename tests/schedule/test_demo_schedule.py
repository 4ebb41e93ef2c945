"""The demo shows the work schedule, due dates and markers (`make run`)."""

from __future__ import annotations

from crownline.demo.seed import seed
from crownline.orders.lists import is_at_risk
from crownline.orders.models import Order
from crownline.schedule.models import ScheduleException, WorkDay
from crownline.tenancy.models import Lab


def test_the_demo_lab_has_a_schedule_markers_and_an_order_at_risk_for_its_appointment(db):
    seed()
    lab = Lab.objects.get(slug="demo-dental-lab")
    friday = WorkDay.objects.get(lab=lab, weekday=4)
    assert friday.closes.hour == 13 and ScheduleException.objects.filter(lab=lab, yearly=True).count() >= 5
    orders = Order.objects.filter(lab=lab)
    assert orders.filter(on_hold=True).exclude(hold_reason="").exists()
    assert orders.filter(fitting_sent_on__isnull=False, fitting_back_on__isnull=True).exists()
    assert orders.filter(fitting_back_on__isnull=False).exists()
    with_appointment = list(orders.filter(appointment_date__isnull=False, due_date_source="appointment"))
    assert any(is_at_risk(o, lab.local_date()) for o in with_appointment)
    assert any(not is_at_risk(o, lab.local_date()) for o in with_appointment)

    seed()  # twice adds nothing
    assert Order.objects.filter(lab=lab).count() == orders.count()
    assert WorkDay.objects.filter(lab=lab).count() == 7
