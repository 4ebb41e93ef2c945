"""An action answers with the order exactly as a fresh GET shows it to the same caller.

The action endpoints render their answer from the row the service locked and updated,
not from a second load (see `orders.api.render_changed`); these walks prove the two agree
after every action, for every role (money hidden from technicians), including the actions
that change more than the status: publishing that plans the work, a delivery that
completes a paid order, tracking numbers, cancel and reopen.
"""

from __future__ import annotations

import pytest

from tests.factories import make_order


def assert_answer_is_the_order(client, order_number: str, response) -> None:
    assert response.status_code == 200, response.content
    fresh = client.get(f"/orders/{order_number}")
    assert response.json() == fresh.json()
    assert response["ETag"] == fresh["ETag"]


@pytest.mark.parametrize("actor", ["admin_a", "tech_a"])
def test_every_step_of_the_lab_answers_with_the_order_as_a_get_shows_it(cast, api, actor):
    cast.lab_a.plan_work_on_publish = True
    cast.lab_a.save()
    lab = api(getattr(cast, actor))
    admin = api(cast.admin_a)  # cancel and reopen are the lab admin's
    dentist = api(cast.dentist_a1)
    order = make_order(cast.admin_a, cast.customer_a1, status="draft", service=cast.service_a, lines=2)
    number = order.number
    today = cast.lab_a.local_date().isoformat()

    # The dentist publishes (and the lab's setting plans three tasks a line in the same action).
    response = dentist.post(f"/orders/{number}/actions/publish")
    assert_answer_is_the_order(dentist, number, response)
    assert response.json()["tasks_total"] == 6

    steps = [
        (lab, "start-production", {"production_date": today}),
        (admin, "cancel", {"reason": "patient moved"}),
        (admin, "reopen", None),
    ]
    for client, action, body in steps:
        assert_answer_is_the_order(client, number, client.post(f"/orders/{number}/actions/{action}", body))

    for task in lab.get(f"/orders/{number}/tasks").json():
        assert lab.post(f"/orders/{number}/tasks/{task['id']}/done").status_code == 200
    for action, body in [
        ("produce", None),
        ("ship", {"tracking_number": "1Z999AA10123456784", "carrier": "UPS"}),
        ("update-tracking", {"tracking_number": "1Z999AA10123456785", "carrier": "UPS"}),
    ]:
        assert_answer_is_the_order(lab, number, lab.post(f"/orders/{number}/actions/{action}", body))
    assert lab.get(f"/orders/{number}").json()["tracking_number"] == "1Z999AA10123456785"


def test_a_delivery_that_completes_a_paid_order_answers_with_the_completed_order(cast, api):
    order = make_order(cast.admin_a, cast.customer_a1, status="shipped", service=cast.service_a, paid=True)
    dentist = api(cast.dentist_a1)

    response = dentist.post(f"/orders/{order.number}/actions/deliver")

    assert_answer_is_the_order(dentist, order.number, response)
    assert response.json()["status"] == "completed"


def test_a_takedown_answers_with_the_draft(cast, api):
    order = make_order(cast.admin_a, cast.customer_a1, status="published", service=cast.service_a)
    admin = api(cast.admin_a)

    response = admin.post(f"/orders/{order.number}/actions/takedown", {"reason": "wrong shade"})

    assert_answer_is_the_order(admin, order.number, response)
    assert response.json()["status"] == "draft"
