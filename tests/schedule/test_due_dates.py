"""Due dates from the work schedule: production days at publish, and the appointment worked back."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from django.test import Client
from django.utils import timezone

from crownline.orders import drafting, services
from crownline.orders.drafting import LineInput, OrderInput
from crownline.orders.models import Order
from crownline.schedule.due_dates import ServiceDays, due_date_for
from crownline.schedule.models import ScheduleException
from tests.factories import PatientFactory, ServiceFactory

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")  # the factories' labs


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=BERLIN)


@pytest.fixture
def crown(cast):
    return ServiceFactory(lab=cast.lab_a, name="Zirconia crown", production_days=3)


@pytest.fixture
def clock(monkeypatch):
    """`clock(moment)`: Django's now() is that moment from here on (publish reads it)."""

    def set_to(moment: dt.datetime) -> None:
        monkeypatch.setattr(timezone, "now", lambda: moment.astimezone(dt.UTC))

    return set_to


def new_order(cast, service, *, by=None, due_date=None, appointment=None) -> Order:
    return drafting.create_order(
        by or cast.admin_a,
        OrderInput(
            customer=cast.customer_a1.pk,
            patient=PatientFactory(customer=cast.customer_a1).pk,
            due_date=due_date,
            appointment_date=appointment,
            lines=[LineInput(service=service.pk, teeth=[11])],
        ),
        lab_slug="lab-a",
    )


def test_publishing_sets_the_due_date_from_the_largest_production_days(cast, crown, clock):
    inlay = ServiceFactory(lab=cast.lab_a, name="Inlay", production_days=1)
    clock(at(dt.date(2026, 11, 2)))  # a Monday
    order = drafting.create_order(
        cast.admin_a,
        OrderInput(
            customer=cast.customer_a1.pk,
            patient=PatientFactory(customer=cast.customer_a1).pk,
            lines=[LineInput(service=inlay.pk, teeth=[12]), LineInput(service=crown.pk, teeth=[11])],
        ),
        lab_slug="lab-a",
    )

    published = services.publish_order(cast.admin_a, order.number)

    assert published.due_date == dt.date(2026, 11, 5)
    assert published.due_date_source == "production"
    assert published.due_date_note == (
        "3 production days (Zirconia crown) from Mon 2 Nov, counting working days only: due Thu 5 Nov"
    )
    event = published.events.order_by("-id").first()
    assert event.action == "due-date-set" and event.data["due_date"] == "2026-11-05"


def test_the_weekend_and_a_yearly_holiday_are_not_counted(cast, crown, clock):
    ScheduleException.objects.create(lab=cast.lab_a, date=dt.date(2001, 11, 10), yearly=True, reason="Lab day")
    clock(at(dt.date(2026, 11, 5)))  # Thursday: Fri, (weekend), (Tue 10 off), Mon, Wed
    order = new_order(cast, crown)
    assert services.publish_order(cast.admin_a, order.number).due_date == dt.date(2026, 11, 11)


def test_an_order_published_after_closing_counts_from_the_next_working_day(cast, crown, clock):
    clock(at(dt.date(2026, 11, 6), hour=18))  # Friday evening: counting starts Monday
    order = new_order(cast, crown)
    published = services.publish_order(cast.admin_a, order.number)
    assert published.due_date == dt.date(2026, 11, 12) and "from Mon 9 Nov" in published.due_date_note


def test_a_due_date_a_person_entered_is_kept(cast, crown, clock):
    clock(at(dt.date(2026, 11, 2)))
    order = new_order(cast, crown, by=cast.dentist_a1, due_date=dt.date(2026, 11, 20))
    published = services.publish_order(cast.dentist_a1, order.number)
    assert (published.due_date, published.due_date_source, published.version) == (
        dt.date(2026, 11, 20),
        "manual",
        order.version + 1,
    )


def test_without_production_days_nothing_is_set(cast, clock):
    clock(at(dt.date(2026, 11, 2)))
    order = new_order(cast, cast.service_a)
    published = services.publish_order(cast.admin_a, order.number)
    assert (published.due_date, published.due_date_source) == (None, "")


def test_the_appointment_gives_the_due_date_and_the_latest_publish_date(cast, crown, clock):
    clock(at(dt.date(2026, 11, 2)))
    order = new_order(cast, crown, by=cast.dentist_a1, appointment=dt.date(2026, 11, 13))  # a Friday
    published = services.publish_order(cast.dentist_a1, order.number)
    # 1 shipping day: due Thu 12 Nov; 3 production days: publish by Mon 9 Nov.
    assert (published.due_date, published.due_date_source) == (dt.date(2026, 11, 12), "appointment")
    assert "publish by Mon 9 Nov" in published.due_date_note


def test_published_too_late_for_the_appointment_it_is_due_as_production_allows_and_flagged(cast, crown, clock, api):
    clock(at(dt.date(2026, 11, 10)))  # Tuesday; appointment Thursday
    order = new_order(cast, crown, by=cast.dentist_a1, appointment=dt.date(2026, 11, 12))
    published = services.publish_order(cast.dentist_a1, order.number)
    assert published.due_date == dt.date(2026, 11, 13)  # Tue + 3 working days
    assert "cannot be met" in published.due_date_note
    listed = api(cast.admin_a).get("/orders", {"late": "true"}).json()
    assert [o["number"] for o in listed["items"]] == [order.number]


def test_the_due_date_computation_warns_when_today_is_past_the_latest_publish_date(cast, crown):
    cast.lab_a.shipping_days = 2
    days = [ServiceDays("Zirconia crown", 3)]
    on_time = due_date_for(cast.lab_a, days, appointment=dt.date(2026, 11, 20), moment=at(dt.date(2026, 11, 2)))
    assert (on_time.due_date, on_time.latest_publish, on_time.warning) == (
        dt.date(2026, 11, 18),
        dt.date(2026, 11, 13),
        "",
    )
    late = due_date_for(cast.lab_a, days, appointment=dt.date(2026, 11, 12), moment=at(dt.date(2026, 11, 9)))
    assert late.at_risk and late.warning == (
        "published today, this order is due Thu 12 Nov and reaches the dentist Mon 16 Nov, "
        "4 days after the appointment (Thu 12 Nov)"
    )


def test_the_due_date_endpoint_answers_dentists_and_staff_of_the_lab(cast, crown, api):
    query = {"services": f"{crown.pk}", "appointment": "2099-01-15"}
    for actor in (cast.admin_a, cast.tech_a, cast.dentist_a1):
        answer = api(actor).get("/labs/lab-a/due-date", query)
        assert answer.status_code == 200 and answer.json()["source"] == "appointment"
    assert api(cast.admin_b).get("/labs/lab-a/due-date", query).status_code == 404
    assert api().get("/labs/lab-a/due-date", query).status_code == 401


@pytest.mark.parametrize("services_param", ["abc", "1,,x", "٣", "99999999999999999999", ",".join(["1"] * 51)])
def test_the_due_date_endpoint_refuses_broken_service_lists_with_422(cast, api, services_param):
    answer = api(cast.admin_a).get("/labs/lab-a/due-date", {"services": services_param})
    assert answer.status_code == 422, services_param


def test_without_services_the_appointment_alone_gives_the_due_date(cast, api):
    answer = api(cast.dentist_a1).get("/labs/lab-a/due-date", {"appointment": "2099-01-16"}).json()  # a Friday
    assert (answer["due_date"], answer["source"]) == ("2099-01-15", "appointment")
    assert api(cast.dentist_a1).get("/labs/lab-a/due-date").json()["due_date"] is None


def test_a_service_of_another_lab_is_refused(cast, api):
    answer = api(cast.admin_a).get("/labs/lab-a/due-date", {"services": str(cast.service_b.pk)})
    assert answer.status_code == 422 and answer.json()["errors"][0]["field"] == "services"


def test_the_order_form_warns_when_the_appointment_cannot_be_met(cast, crown):
    page = Client()
    page.force_login(cast.dentist_a1)
    tomorrow = cast.lab_a.local_date() + dt.timedelta(days=1)
    form = {
        "patient_name": "P. Late",
        "appointment_date": tomorrow.isoformat(),
        "due_date": "",
        "notes": "",
        "lines-TOTAL_FORMS": "1",
        "lines-INITIAL_FORMS": "0",
        "lines-0-service": str(crown.pk),
        "lines-0-quantity": "1",
        "lines-0-teeth": "11",
        "lines-0-shade": "",
        "add_line": "1",
    }
    shown = page.post("/orders/new/", form).content.decode()
    assert 'id="due-preview"' in shown and "after the appointment" in shown


def test_the_order_page_explains_the_due_date(cast, crown, clock):
    clock(at(dt.date(2026, 11, 2)))
    order = new_order(cast, crown)
    services.publish_order(cast.admin_a, order.number)
    page = Client()
    page.force_login(cast.dentist_a1)
    shown = page.get(f"/orders/{order.number}/").content.decode()
    assert "Production days: 3 production days (Zirconia crown) from Mon 2 Nov" in shown


def test_the_dentist_gives_the_appointment_through_the_api_and_a_past_one_is_refused(cast, crown, api):
    client = api(cast.dentist_a1)
    today = cast.lab_a.local_date()
    body = {"patient_name": "Api Patient", "lines": [{"service": crown.pk, "teeth": [11]}]}
    past = client.post("/orders", body | {"appointment_date": str(today - dt.timedelta(days=1))})
    assert past.status_code == 422 and past.json()["errors"][0]["field"] == "appointment_date"
    created = client.post("/orders", body | {"appointment_date": str(today + dt.timedelta(days=40))})
    assert created.status_code == 201 and created.json()["appointment_date"] == str(today + dt.timedelta(days=40))
    number, etag = created.json()["number"], created["ETag"]
    cleared = client.patch(f"/orders/{number}", {"appointment_date": None}, HTTP_IF_MATCH=etag)
    assert cleared.status_code == 200 and cleared.json()["appointment_date"] is None


def test_a_due_date_entered_by_hand_is_marked_manual(cast, crown, api):
    client = api(cast.dentist_a1)
    body = {"patient_name": "Api Patient", "lines": [{"service": crown.pk, "teeth": [11]}]}
    created = client.post("/orders", body | {"due_date": str(cast.lab_a.local_date() + dt.timedelta(days=30))})
    assert created.status_code == 201 and created.json()["due_date_source"] == "manual"
    far = client.post("/orders", body | {"due_date": "2099-03-02"})  # a typing mistake, not a plan
    assert far.status_code == 422 and far.json()["errors"][0]["field"] == "due_date"
