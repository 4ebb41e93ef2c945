"""The API and the pages show each reader the same orders, the same totals and the same history.

Both doors call one list query (`orders.lists`) and one history rule (`orders.history`); these
tests hold them to it for the lab admin, the technician and the dentist, on the same orders.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from crownline.orders import comments, payments
from crownline.orders.lifecycle import Status
from crownline.workplan import services as workplan
from crownline.workplan.models import Task
from tests.factories import make_order

READERS = ["admin_a", "tech_a", "dentist_a1"]


@pytest.fixture
def orders(cast, order_in):
    """Orders of lab A in several statuses, with pay, payments, comments (one internal) and ticked tasks."""
    made = [order_in(status) for status in ("draft", "published", "production", "shipped", "cancelled")]
    made.append(order_in("delivered", paid=True))
    made.append(make_order(cast.admin_a, cast.customer_a2, status="published", service=cast.service_a))
    busy = made[1]
    task = Task.objects.filter(order=busy).first()
    paid_task = workplan.TaskInput(pay=Decimal("9.50"), assignee=cast.tech_a.pk)
    workplan.edit_task(cast.admin_a, busy.number, task.pk, paid_task)
    workplan.set_task_done(cast.tech_a, busy.number, task.pk, True)
    payments.record_payment(cast.admin_a, busy.number, amount=Decimal("10.00"), method="card", reference="R-1")
    comments.add_comment(cast.dentist_a1, busy.number, body="Shade A3, please")
    comments.add_comment(cast.admin_a, busy.number, body="Pays late", internal=True)
    return made


def page_rows(client, **params) -> list[str]:
    return [order.number for order, _ in client.get("/orders/", params).context["rows"]]


@pytest.mark.parametrize("reader", READERS)
def test_the_same_orders_in_the_same_order(cast, api, browser_as, orders, reader):
    user = getattr(cast, reader)
    for params in ({}, {"ordering": "due_date"}, {"q": "Patient"}, {"status": "published"}):
        through_api = [o["number"] for o in api(user).get("/orders", {**params, "page_size": 100}).json()["items"]]
        assert page_rows(browser_as(user), **params) == through_api, params
    assert len(page_rows(browser_as(user))) == (6 if reader == "dentist_a1" else 7)


@pytest.mark.parametrize("reader", READERS)
def test_the_same_totals(cast, api, browser_as, orders, reader):
    user = getattr(cast, reader)
    tabs = {value: n for value, _, n in browser_as(user).get("/orders/").context["tabs"]}

    assert tabs[""] == api(user).get("/orders").json()["count"]
    for status in Status:
        assert tabs[status.value] == api(user).get("/orders", {"status": status.value}).json()["count"], status


@pytest.mark.parametrize("reader", READERS)
def test_the_same_history(cast, api, browser_as, orders, reader):
    user, busy = getattr(cast, reader), orders[1]

    through_api = api(user).get(f"/orders/{busy.number}/events").json()
    on_the_page = browser_as(user).get(f"/orders/{busy.number}/").context["timeline"]

    # The page shows the newest first; entry for entry, the same lines with the same words.
    assert [(e["id"], e["label"], e["detail"], e["actor"]) for e in through_api] == [
        (e.id, e.label, e.detail, e.actor) for e in reversed(on_the_page)
    ]
    actions = [e["action"] for e in through_api]
    if reader == "dentist_a1":
        assert "edit-task" not in actions and "mark-task-done" not in actions
        assert [e["data"].get("internal") for e in through_api if e["action"] == "comment"] == [False]
    else:
        assert {"edit-task", "mark-task-done"} <= set(actions)
    payment = next(e for e in through_api if e["action"] == "record-payment")
    assert ("amount" in payment["data"]) is (reader != "tech_a")
    edit = next((e for e in through_api if e["action"] == "edit-task"), None)
    assert edit is None or ("pay" in edit["data"]) is (reader == "admin_a")


def test_the_pages_history_shows_when_and_who_for_every_entry(cast, browser_as, order_in):
    delivered = order_in("delivered")
    payments.record_payment(cast.admin_a, delivered.number)  # paid in full: on to Completed
    html = browser_as(cast.admin_a).get(f"/orders/{delivered.number}/").content.decode()
    history = html[html.index('<ol class="timeline" id="history">') : html.index("</ol>", html.index('id="history"'))]

    lines = re.findall(r'<div class="when">([^<]*)</div>', history)
    assert len(lines) == delivered.events.count()
    assert all(re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2} · admin-a", line.strip()) for line in lines), lines
    assert '<span class="badge completed">Completed</span>' in history  # the payment that completed it
