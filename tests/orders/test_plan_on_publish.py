"""The lab setting "plan work on publish": publishing plans the work in the same transaction."""

from __future__ import annotations


def test_publishing_again_after_a_takedown_does_not_plan_twice(cast, api, order_in):
    cast.lab_a.plan_work_on_publish = True
    cast.lab_a.save()
    order = order_in("draft")
    dentist = api(cast.dentist_a1)
    dentist.post(f"/orders/{order.number}/actions/publish")
    dentist.post(f"/orders/{order.number}/actions/takedown")
    dentist.post(f"/orders/{order.number}/actions/publish")
    assert order.tasks.count() == 3
