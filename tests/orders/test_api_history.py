"""What happened to an order: its events, its comments, and its tasks as each role sees them."""

from __future__ import annotations

from decimal import Decimal

from crownline.orders import comments
from crownline.orders.models import Comment
from crownline.workplan import services as workplan
from crownline.workplan.models import Task
from tests.orders.helpers import assert_refused, last_event, new_events, reload, snapshot

# ---- events -------------------------------------------------------------------------


def test_a_lab_admin_reads_the_whole_history_of_a_shipped_order(cast, api, order_in):
    order = order_in("shipped")

    response = api(cast.admin_a).get(f"/orders/{order.number}/events")

    assert response.status_code == 200
    events = response.json()
    assert [(e["action"], e["from_status"], e["to_status"]) for e in events] == [
        ("create", "", "draft"),
        ("publish", "draft", "published"),
        ("plan-work", "published", "published"),
        ("start-production", "published", "production"),
        ("mark-task-done", "production", "production"),
        ("mark-task-done", "production", "production"),
        ("mark-task-done", "production", "production"),
        ("produce", "production", "produced"),
        ("ship", "produced", "shipped"),
    ]
    assert {(e["actor"], e["actor_role"]) for e in events} == {("admin-a", "lab_admin")}
    assert events[-1]["data"] == {"tracking_number": "1Z999AA10123456784", "carrier": "UPS", "previous": ""}
    assert len(events) == order.events.count()
    assert snapshot(order).version == order.version  # reading the history changes nothing


def test_a_technician_reads_the_history_without_pay_or_payment_amounts(cast, api, order_in):
    order = order_in("published")
    task = Task.objects.filter(order=order).first()
    workplan.edit_task(cast.admin_a, order.number, task.pk, workplan.TaskInput(pay=Decimal("12.50")))
    api(cast.admin_a).post(f"/orders/{order.number}/payments", {"amount": "5.00", "reference": "TRX-1"})

    events = api(cast.tech_a).get(f"/orders/{order.number}/events").json()

    assert [e["action"] for e in events[-2:]] == ["edit-task", "record-payment"]
    assert events[-2]["data"] == {"task": task.pk}
    assert "amount" not in events[-1]["data"] and "reference" not in events[-1]["data"]
    admin_view = api(cast.admin_a).get(f"/orders/{order.number}/events").json()
    assert admin_view[-2]["data"] == {"task": task.pk, "pay": "12.50"}
    assert admin_view[-1]["data"]["amount"] == "5.00"


def test_a_dentist_reads_the_history_without_the_work_plan(cast, api, order_in):
    order = order_in("published")
    task = Task.objects.filter(order=order).first()
    workplan.edit_task(cast.admin_a, order.number, task.pk, workplan.TaskInput(name="Scan", pay=Decimal("12.50")))
    workplan.set_task_done(cast.tech_a, order.number, task.pk, True)
    assert "pay" in order.events.get(action="edit-task").data  # stored in full; only the reader's view cuts it

    response = api(cast.dentist_a1).get(f"/orders/{order.number}/events")

    assert response.status_code == 200
    events = response.json()
    # Who plans and does the work, and for what pay, stays with the lab.
    assert [e["action"] for e in events] == ["create", "publish"]
    staff_view = api(cast.tech_a).get(f"/orders/{order.number}/events").json()
    assert [e["action"] for e in staff_view][-2:] == ["edit-task", "mark-task-done"]


def test_a_technician_sees_no_payment_method_in_the_history(cast, api, order_in):
    order = order_in("published")
    api(cast.admin_a).post(f"/orders/{order.number}/payments", {"amount": "5.00", "method": "cash"})

    tech_view = api(cast.tech_a).get(f"/orders/{order.number}/events").json()[-1]
    admin_view = api(cast.admin_a).get(f"/orders/{order.number}/events").json()[-1]

    assert tech_view["action"] == admin_view["action"] == "record-payment"
    assert set(tech_view["data"]) == {"payment"} and tech_view["detail"] == ""
    assert admin_view["data"]["method"] == "cash" and admin_view["detail"] == "5.00 by cash"


# ---- comments -----------------------------------------------------------------------


def test_a_dentist_comments_on_their_order(cast, api, order_in):
    order = order_in("production")
    before = snapshot(order)

    response = api(cast.dentist_a1).post(f"/orders/{order.number}/comments", {"body": "  Shade A3 please  "})

    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["author"], body["body"], body["internal"]) == ("dentist-a1", "Shade A3 please", False)
    comment = Comment.objects.get(pk=body["id"])
    assert (comment.order_id, comment.author, comment.body) == (order.pk, cast.dentist_a1, "Shade A3 please")
    fresh = reload(order)
    # A comment is not a change to the order: the version (and every open form) stays.
    assert (fresh.status, fresh.version) == ("production", before.version)
    assert new_events(order, before) == [("comment", "production", "production")]
    assert last_event(order).data == {"comment": comment.pk, "internal": False}


def test_a_lab_admin_writes_an_internal_comment_that_stays_out_of_the_history(cast, api, order_in):
    order = order_in("published")

    response = api(cast.admin_a).post(
        f"/orders/{order.number}/comments", {"body": "customer pays late", "internal": True}
    )

    assert response.status_code == 201, response.content
    assert response.json()["internal"] is True
    assert Comment.objects.get(pk=response.json()["id"]).internal is True
    assert "customer pays late" not in str(last_event(order).data)


def test_comments_can_be_written_on_a_cancelled_order(cast, api, order_in):
    order = order_in("cancelled")

    response = api(cast.dentist_a1).post(f"/orders/{order.number}/comments", {"body": "why?"})

    assert response.status_code == 201, response.content
    assert reload(order).status == "cancelled"


def test_a_dentist_cannot_write_an_internal_comment(cast, api, order_in):
    order = order_in("published")
    before = snapshot(order)

    response = api(cast.dentist_a1).post(f"/orders/{order.number}/comments", {"body": "psst", "internal": True})

    assert_refused(response, 422, "internal")
    assert snapshot(order) == before


def test_nobody_posts_an_empty_or_blank_comment(cast, api, order_in):
    order = order_in("published")
    before = snapshot(order)
    client = api(cast.admin_a)

    assert_refused(client.post(f"/orders/{order.number}/comments", {"body": ""}), 422, "body")
    assert_refused(client.post(f"/orders/{order.number}/comments", {"body": " \n "}), 422, "body")
    assert_refused(client.post(f"/orders/{order.number}/comments", {"internal": True}), 422, "body")
    assert_refused(client.post(f"/orders/{order.number}/comments", {"body": "x" * 4001}), 422, "body")
    assert snapshot(order) == before


def test_a_dentist_gets_400_for_a_comment_that_is_not_json(cast, api, order_in):
    order = order_in("published")
    before = snapshot(order)
    client = api(cast.dentist_a1)

    response = client.client.post(
        f"/api/v1/orders/{order.number}/comments", "body=hi", content_type="application/json", **client.headers
    )

    assert_refused(response, 400)
    assert snapshot(order) == before


def test_the_lab_reads_every_comment_and_the_dentist_only_the_public_ones(cast, api, order_in):
    order = order_in("published")
    public = comments.add_comment(cast.dentist_a1, order.number, body="Is it ready?")
    internal = comments.add_comment(cast.tech_a, order.number, body="remake the model", internal=True)
    reply = comments.add_comment(cast.admin_a, order.number, body="Friday.")

    by_lab = api(cast.tech_a).get(f"/orders/{order.number}/comments")
    by_admin = api(cast.admin_a).get(f"/orders/{order.number}/comments")
    by_dentist = api(cast.dentist_a1).get(f"/orders/{order.number}/comments")

    assert [c["id"] for c in by_lab.json()] == [public.pk, internal.pk, reply.pk]
    assert [c["id"] for c in by_admin.json()] == [public.pk, internal.pk, reply.pk]
    assert by_lab.json()[1] | {"created_at": None} == {
        "id": internal.pk, "author": "tech-a", "body": "remake the model", "internal": True, "created_at": None
    }
    assert [(c["id"], c["body"]) for c in by_dentist.json()] == [(public.pk, "Is it ready?"), (reply.pk, "Friday.")]
    assert "remake the model" not in by_dentist.content.decode()


# ---- tasks as each role sees them ---------------------------------------------------


def _assign_and_pay(cast, order):
    first, second, _ = Task.objects.filter(order=order)
    workplan.edit_task(cast.admin_a, order.number, first.pk, workplan.TaskInput(assignee=cast.tech_a.pk,
                                                                               pay=Decimal("15.00")))
    workplan.edit_task(cast.admin_a, order.number, second.pk, workplan.TaskInput(pay=Decimal("20.00")))
    return first, second


def test_a_lab_admin_sees_the_pay_of_every_task(cast, api, order_in):
    order = order_in("published")
    _assign_and_pay(cast, order)

    tasks = api(cast.admin_a).get(f"/orders/{order.number}/tasks").json()

    assert [(t["name"], t["pay"]) for t in tasks] == [("Model", "15.00"), ("Design", "20.00"), ("Finish", "10.00")]
    assert tasks[0]["assignee"]["username"] == "tech-a"


def test_a_technician_sees_the_pay_of_their_own_tasks_only(cast, api, order_in):
    order = order_in("published")
    _assign_and_pay(cast, order)

    tasks = api(cast.tech_a).get(f"/orders/{order.number}/tasks").json()

    assert [(t["name"], t["pay"]) for t in tasks] == [("Model", "15.00"), ("Design", None), ("Finish", None)]


def test_a_dentist_never_sees_task_pay_nor_who_does_the_work(cast, api, order_in):
    order = order_in("production")
    _assign_and_pay(cast, order)
    workplan.set_task_done(cast.tech_a, order.number, Task.objects.filter(order=order).first().pk, True)

    response = api(cast.dentist_a1).get(f"/orders/{order.number}/tasks")

    assert response.status_code == 200
    tasks = response.json()
    assert [t["name"] for t in tasks] == ["Model", "Design", "Finish"]
    assert [t["pay"] for t in tasks] == [None, None, None]
    assert [t["assignee"] for t in tasks] == [None, None, None]
    assert [(t["done"], t["done_by"]) for t in tasks] == [(True, None), (False, None), (False, None)]


# ---- money figures in the order itself --------------------------------------------------


def test_a_technician_sees_no_money_figures_on_the_order(cast, api, order_in):
    order = order_in("delivered")

    body = api(cast.tech_a).get(f"/orders/{order.number}").json()

    assert (body["total"], body["amount_paid"]) == (None, None)
    assert [(ln["unit_price"], ln["line_total"]) for ln in body["lines"]] == [(None, None)]


def test_a_dentist_and_a_lab_admin_see_the_prices(cast, api, order_in):
    order = order_in("published")

    for actor in (cast.admin_a, cast.dentist_a1):
        body = api(actor).get(f"/orders/{order.number}").json()
        assert (body["total"], body["amount_paid"]) == ("100.00", "0.00")
        assert [(ln["unit_price"], ln["line_total"]) for ln in body["lines"]] == [("100.00", "100.00")]
