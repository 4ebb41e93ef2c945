"""The order page's action forms: refusals, form errors, stale and repeated submissions."""

from __future__ import annotations

import datetime as dt

import pytest

from crownline.orders.models import Order

pytestmark = pytest.mark.django_db


def act(client, order, action, **data):
    data.setdefault("version", order.version)
    return client.post(f"/orders/{order.number}/actions/{action}/", data)


def unchanged(order) -> tuple:
    fresh = Order.objects.get(pk=order.pk)
    return fresh.status, fresh.version, fresh.events.count()


def test_it_ships_and_redirects_back_to_the_order(cast, order_in, browser_as):
    order = order_in("produced")
    response = act(browser_as(cast.tech_a), order, "ship", tracking_number=" 1Z999 ", carrier="UPS")
    assert response.status_code == 302
    assert response["Location"] == f"/orders/{order.number}/"
    fresh = Order.objects.get(pk=order.pk)
    assert (fresh.status, fresh.tracking_number, fresh.carrier) == ("shipped", "1Z999", "UPS")


def test_it_refuses_a_technician_recording_a_payment(cast, order_in, browser_as):
    order = order_in("delivered")
    before = unchanged(order)
    response = act(browser_as(cast.tech_a), order, "record-payment", amount="100.00", method="cash")
    assert response.status_code == 403
    assert "A technician may not record payment." in response.content.decode()
    assert unchanged(order) == before
    assert not order.payments.exists()


def test_it_refuses_a_dentist_starting_production(cast, order_in, browser_as):
    order = order_in("published")
    before = unchanged(order)
    response = act(browser_as(cast.dentist_a1), order, "start-production", production_date="2020-01-01")
    assert response.status_code == 403
    assert unchanged(order) == before


def test_another_customers_order_does_not_exist_for_a_dentist(cast, order_in, browser_as):
    order = order_in("published")
    client = browser_as(cast.dentist_a2)
    assert client.get(f"/orders/{order.number}/").status_code == 404
    before = unchanged(order)
    assert act(client, order, "cancel", reason="not mine").status_code == 404
    assert unchanged(order) == before


def test_another_labs_admin_gets_404(cast, order_in, browser_as):
    order = order_in("published")
    assert browser_as(cast.admin_b).get(f"/orders/{order.number}/").status_code == 404


def test_it_refuses_an_action_the_status_does_not_allow(cast, order_in, browser_as):
    order = order_in("published")
    response = act(browser_as(cast.tech_a), order, "ship", tracking_number="1Z", carrier="")
    assert response.status_code == 409
    assert "Cannot ship: the order is published." in response.content.decode()
    assert Order.objects.get(pk=order.pk).status == "published"


def test_a_production_date_in_the_future_is_shown_next_to_the_field(cast, order_in, browser_as):
    order = order_in("published")
    tomorrow = cast.lab_a.local_date() + dt.timedelta(days=1)
    response = act(browser_as(cast.tech_a), order, "start-production", production_date=tomorrow.isoformat())
    assert response.status_code == 422
    html = response.content.decode()
    # The dialog opens again by itself, with the service's message under the date field.
    assert 'id="dlg-start-production" aria-labelledby="dlg-start-production-title" data-autoopen' in html
    assert f"the production date {tomorrow} is in the future" in html
    assert Order.objects.get(pk=order.pk).status == "published"


def test_a_missing_production_date_is_a_form_error(cast, order_in, browser_as):
    order = order_in("published")
    response = act(browser_as(cast.tech_a), order, "start-production", production_date="")
    assert response.status_code == 422
    assert "This field is required." in response.content.decode()


def test_a_blank_tracking_number_is_refused_in_plain_words(cast, order_in, browser_as):
    order = order_in("produced")
    response = act(browser_as(cast.tech_a), order, "ship", tracking_number="   ", carrier="UPS")
    assert response.status_code == 422
    assert "a tracking number is required" in response.content.decode()
    assert Order.objects.get(pk=order.pk).status == "produced"


def test_the_lab_gives_a_reason_to_cancel(cast, order_in, browser_as):
    order = order_in("production")
    response = act(browser_as(cast.admin_a), order, "cancel", reason="")
    assert response.status_code == 422
    assert "the lab gives a reason when it cancels an order" in response.content.decode()
    assert act(browser_as(cast.admin_a), order, "cancel", reason="patient moved").status_code == 302
    assert Order.objects.get(pk=order.pk).status == "cancelled"


def test_a_payment_above_what_is_due_is_refused(cast, order_in, browser_as):
    order = order_in("delivered")
    response = act(browser_as(cast.admin_a), order, "record-payment", amount="1000.00", method="cash")
    assert response.status_code == 422
    assert "is more than what is due (100.00)" in response.content.decode()
    assert not order.payments.exists()


def test_a_stale_form_says_someone_else_changed_the_order_and_shows_the_current_state(cast, order_in, browser_as):
    order = order_in("shipped")
    stale_version = order.version
    assert act(browser_as(cast.tech_a), order, "update-tracking", tracking_number="NEW1").status_code == 302
    response = act(browser_as(cast.admin_a), order, "update-tracking", version=stale_version,
                   tracking_number="OTHER2")
    assert response.status_code == 412
    html = response.content.decode()
    assert "Someone else changed this order since you opened it" in html
    assert "NEW1" in html
    assert Order.objects.get(pk=order.pk).tracking_number == "NEW1"


def test_a_double_click_delivers_once(cast, order_in, browser_as):
    order = order_in("shipped")
    client = browser_as(cast.dentist_a1)
    assert act(client, order, "deliver").status_code == 302
    second = act(client, order, "deliver")  # same version: the form the first click sent
    assert second.status_code == 412
    assert Order.objects.get(pk=order.pk).events.filter(action="deliver").count() == 1


def test_a_form_without_its_version_is_refused(cast, order_in, browser_as):
    order = order_in("published")
    response = browser_as(cast.tech_a).post(f"/orders/{order.number}/actions/start-production/",
                                            {"production_date": cast.lab_a.local_date().isoformat()})
    assert response.status_code == 400
    assert Order.objects.get(pk=order.pk).status == "published"


def test_an_unknown_action_is_404(cast, order_in, browser_as):
    order = order_in("published")
    assert act(browser_as(cast.admin_a), order, "teleport").status_code == 404


def test_actions_need_the_csrf_token(cast, order_in, browser_as):
    order = order_in("shipped")
    response = act(browser_as(cast.dentist_a1, enforce_csrf_checks=True), order, "deliver")
    assert response.status_code == 403
    assert Order.objects.get(pk=order.pk).status == "shipped"


def test_actions_need_a_signed_in_user(cast, order_in, browser_as):
    order = order_in("shipped")
    response = act(browser_as(), order, "deliver")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert Order.objects.get(pk=order.pk).status == "shipped"


def test_actions_are_post_only(cast, order_in, browser_as):
    order = order_in("shipped")
    assert browser_as(cast.admin_a).get(f"/orders/{order.number}/actions/deliver/").status_code == 405


def test_reopen_puts_a_cancelled_order_back(cast, order_in, browser_as):
    order = order_in("cancelled")
    assert act(browser_as(cast.admin_a), order, "reopen").status_code == 302
    assert Order.objects.get(pk=order.pk).status == "published"


def test_publish_and_takedown_for_the_dentist(cast, order_in, browser_as):
    order = order_in("draft")
    client = browser_as(cast.dentist_a1)
    assert act(client, order, "publish").status_code == 302
    order.refresh_from_db()
    assert order.status == "published"
    assert act(client, order, "takedown").status_code == 302
    assert Order.objects.get(pk=order.pk).status == "draft"


def test_the_admin_cancels_a_payment_and_a_completed_order_goes_back_to_delivered(cast, order_in, browser_as):
    order = order_in("completed")
    payment = order.payments.get()
    client = browser_as(cast.admin_a)
    assert "Cancel this payment" in client.get(f"/orders/{order.number}/").content.decode()
    response = client.post(f"/orders/{order.number}/payments/{payment.pk}/cancel/",
                           {"version": order.version, "reason": "bounced"})
    assert response.status_code == 302
    order.refresh_from_db()
    payment.refresh_from_db()
    assert (order.status, payment.void_reason) == ("delivered", "bounced")


def test_a_dentist_cannot_cancel_a_payment(cast, order_in, browser_as):
    order = order_in("completed")
    payment = order.payments.get()
    client = browser_as(cast.dentist_a1)
    assert "Cancel this payment" not in client.get(f"/orders/{order.number}/").content.decode()
    response = client.post(f"/orders/{order.number}/payments/{payment.pk}/cancel/", {"version": order.version})
    assert response.status_code == 403
    payment.refresh_from_db()
    assert payment.voided_at is None
