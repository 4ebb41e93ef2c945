"""The order form: Save as draft, Send, errors next to their fields, editing a draft or (lab admin) an order."""

from __future__ import annotations

import datetime as dt

import pytest

from crownline.orders.models import Order

pytestmark = pytest.mark.django_db


def form_data(cast, **overrides) -> dict:
    data = {
        "patient_name": "Jane Roe",
        "due_date": (cast.lab_a.local_date() + dt.timedelta(days=7)).isoformat(),
        "notes": "Check the occlusion",
        "lines-TOTAL_FORMS": "1", "lines-INITIAL_FORMS": "0", "lines-MIN_NUM_FORMS": "1", "lines-MAX_NUM_FORMS": "50",
        "lines-0-service": str(cast.service_a.pk), "lines-0-quantity": "1", "lines-0-teeth": "11, 21",
        "lines-0-shade": "A2",
        "intent": "draft",
    }
    data.update(overrides)
    return data


def test_a_dentist_saves_a_draft(cast, browser_as):
    response = browser_as(cast.dentist_a1).post("/orders/new/", form_data(cast))
    order = Order.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/orders/{order.number}/"
    assert (order.status, order.customer, order.patient.name) == ("draft", cast.customer_a1, "Jane Roe")
    assert order.lines.get().teeth == [11, 21]


def test_a_dentist_sends_an_order_to_the_lab(cast, browser_as):
    browser_as(cast.dentist_a1).post("/orders/new/", form_data(cast, intent="send"))
    assert Order.objects.get().status == "published"


def test_a_tooth_that_is_not_fdi_is_shown_next_to_the_teeth(cast, browser_as):
    response = browser_as(cast.dentist_a1).post("/orders/new/", form_data(cast, **{"lines-0-teeth": "11, 99"}))
    assert response.status_code == 422
    assert response.context["lines"].forms[0].errors["teeth"] == ["not FDI tooth numbers: [99]"]
    assert not Order.objects.exists()


def test_teeth_must_be_numbers(cast, browser_as):
    response = browser_as(cast.dentist_a1).post("/orders/new/", form_data(cast, **{"lines-0-teeth": "upper left"}))
    assert response.status_code == 422
    assert "write teeth as FDI numbers" in response.content.decode()


def test_a_due_date_in_the_past_is_refused(cast, browser_as):
    past = (cast.lab_a.local_date() - dt.timedelta(days=1)).isoformat()
    response = browser_as(cast.dentist_a1).post("/orders/new/", form_data(cast, due_date=past))
    assert response.status_code == 422
    assert "is in the past" in response.context["form"].errors["due_date"][0]


def test_sending_without_a_patient_keeps_the_draft_and_says_why(cast, browser_as):
    client = browser_as(cast.dentist_a1)
    response = client.post("/orders/new/", form_data(cast, patient_name="", intent="send"), follow=True)
    assert Order.objects.get().status == "draft"
    assert "not sent: an order needs a patient before it is published" in response.content.decode()


def test_another_labs_service_is_refused(cast, browser_as):
    data = form_data(cast, **{"lines-0-service": str(cast.service_b.pk)})
    response = browser_as(cast.dentist_a1).post("/orders/new/", data)
    assert response.status_code == 422
    assert not Order.objects.exists()


def test_add_another_service_adds_a_row_without_saving(cast, browser_as):
    response = browser_as(cast.dentist_a1).post("/orders/new/", form_data(cast, add_line="1"))
    assert response.status_code == 200
    assert len(response.context["lines"].forms) == 2
    assert not Order.objects.exists()


def test_a_technician_does_not_create_orders(cast, browser_as):
    client = browser_as(cast.tech_a)
    assert client.post("/orders/new/", form_data(cast)).status_code == 302
    assert not Order.objects.exists()


def test_a_lab_admin_orders_for_a_chosen_customer(cast, browser_as):
    client = browser_as(cast.admin_a)
    assert client.post("/orders/new/", form_data(cast)).status_code == 422  # which customer?
    client.post("/orders/new/", form_data(cast, customer=str(cast.customer_a2.pk)))
    assert Order.objects.get().customer == cast.customer_a2


def test_a_dentist_edits_their_draft(cast, order_in, browser_as):
    order = order_in("draft")
    line = order.lines.get()
    client = browser_as(cast.dentist_a1)
    page = client.get(f"/orders/{order.number}/edit/")
    assert page.status_code == 200
    data = form_data(cast, version=str(order.version), **{
        "lines-INITIAL_FORMS": "1", "lines-0-id": str(line.pk), "lines-0-teeth": "36", "lines-0-shade": "B1",
    })
    assert client.post(f"/orders/{order.number}/edit/", data).status_code == 302
    line.refresh_from_db()
    assert (line.teeth, line.shade) == ([36], "B1")
    stale = client.post(f"/orders/{order.number}/edit/", data, follow=True)
    assert "Someone else changed this order" in stale.content.decode()


def test_a_published_order_is_not_edited_on_the_draft_form(cast, order_in, browser_as):
    order = order_in("published")
    response = browser_as(cast.dentist_a1).get(f"/orders/{order.number}/edit/")
    assert response.status_code == 302


def test_a_lab_admin_corrects_an_order_in_production_and_it_stays_in_production(cast, order_in, browser_as):
    order = order_in("production")
    line = order.lines.get()
    client = browser_as(cast.admin_a)
    page = client.get(f"/orders/{order.number}/edit/").content.decode()
    assert "Save changes" in page and "Send to the lab" not in page
    data = form_data(cast, version=str(order.version), intent="save", notes="Shade changed by phone", **{
        "lines-INITIAL_FORMS": "1", "lines-0-id": str(line.pk), "lines-0-shade": "A3",
    })
    assert client.post(f"/orders/{order.number}/edit/", data).status_code == 302
    order.refresh_from_db()
    line.refresh_from_db()
    assert (order.status, order.notes, line.shade) == ("production", "Shade changed by phone", "A3")
    assert order.events.last().action == "edit"


def test_a_technician_cannot_edit_an_order(cast, order_in, browser_as):
    order = order_in("production")
    response = browser_as(cast.tech_a).post(f"/orders/{order.number}/edit/", form_data(cast, version="1"))
    assert response.status_code == 302
    assert not order.events.filter(action="edit").exists()
