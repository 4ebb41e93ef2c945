"""Demo data of the work schedule and due dates, markers (issue 13)."""

from __future__ import annotations

import datetime as dt

from crownline.catalog.models import Service
from crownline.orders import drafting, markers, services
from crownline.orders.drafting import LineInput, OrderInput
from crownline.orders.models import Order
from crownline.schedule.models import ScheduleException, WorkDay
from crownline.tenancy.models import Lab

# The demo lab's average production times (DSO's "production days"), in working days.
PRODUCTION_DAYS = {"Zirconia crown": 5, "E.max crown": 6, "PFM bridge unit": 8, "Full denture": 10, "Night guard": 3}
# Public holidays that fall on the same day every year.
HOLIDAYS = [
    ((1, 1), "New Year's Day"),
    ((5, 1), "Labour Day"),
    ((10, 3), "German Unity Day"),
    ((12, 24), "Christmas Eve"),
    ((12, 25), "Christmas Day"),
    ((12, 26), "Boxing Day"),
    ((12, 31), "New Year's Eve"),
]


def seed_schedule(lab: Lab) -> None:
    """Before the orders: the lab's working week, days off, production days per service."""
    if not WorkDay.objects.filter(lab=lab).exists():
        WorkDay.objects.bulk_create(
            [
                WorkDay(
                    lab=lab,
                    weekday=day,
                    working=day < 5,
                    opens=dt.time(7, 30),
                    closes=dt.time(13, 0) if day == 4 else dt.time(16, 30),
                    break_start=None if day == 4 else dt.time(12, 0),
                    break_end=None if day == 4 else dt.time(12, 30),
                )
                for day in range(7)
            ]
        )
    for (month, day), reason in HOLIDAYS:
        ScheduleException.objects.get_or_create(
            lab=lab, date=dt.date(2024, month, day), yearly=True, defaults={"reason": reason}
        )
    for name, days in PRODUCTION_DAYS.items():
        Service.objects.filter(lab=lab, name=name, production_days__isnull=True).update(production_days=days)


def seed_markers(lab: Lab, admin, tech, dentist) -> None:
    """After the orders: an order on hold, one sent for fitting, one with an appointment date."""
    orders = Order.objects.filter(lab=lab, outsourced_from__isnull=True).order_by("created_at", "id")
    in_production = list(orders.filter(status="production", on_hold=False))
    published = list(orders.filter(status="published", fitting_sent_on__isnull=True))
    if in_production:
        markers.hold_order(tech, in_production[-1].number, reason="Waiting for the bite registration from the clinic.")
    if published:
        markers.send_for_fitting(tech, published[0].number, note="Framework try-in")
    if len(published) > 1:
        markers.send_for_fitting(tech, published[1].number, note="Wax try-in")
        markers.return_from_fitting(tech, published[1].number, note="Fits; the dentist asks for a lighter shade.")
    crown = Service.objects.filter(lab=lab, name="Zirconia crown").first()
    if crown is None:
        return
    today = lab.local_date()
    for days, patient, note in (
        (3, "Nina Brandt", "Appointment booked before the scan arrived."),
        (30, "Omar Haddad", ""),
    ):
        order = drafting.create_order(
            dentist,
            OrderInput(
                patient_name=patient,
                appointment_date=today + dt.timedelta(days=days),
                notes=note,
                lines=[LineInput(service=crown.id, teeth=[21], shade="A1")],
            ),
            lab_slug=lab.slug,
        )
        # The first is at risk: five production days cannot meet an appointment three days away.
        services.publish_order(dentist, order.number)
