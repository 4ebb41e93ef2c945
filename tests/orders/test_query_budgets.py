"""Query budgets: reading orders costs the same number of queries however much they hold,
and a change costs "lock and read, update, event" however big the order.

The numbers are exact on purpose: one more query per request is a regression to look at,
and a count that grows with the data is an N+1. Each budget is checked on a small and a
large data set. Where the queries go (list): authentication (`AUTH_QUERIES`), the page of
orders with their lines and the lines' services (one JSON array per order, `OrderQuerySet.answered`),
and the count (only for a full page: a page that is not full is the last, and its number and
length give the count). Detail: the same, with the access lookup instead of the count.
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.db import connection

from crownline.orders import services
from crownline.workplan import services as workplan
from crownline.workplan.models import Task
from tests.orders.helpers import draft

# Authentication, before any order is read: the bearer token with its user and the caller's lab
# roles come from the shared cache (crownline.tenancy.callers), which each client's first request
# fills (the `clients` fixture): one cache read with the database cache, no query with Redis.
# From the database they were two (the token with its user; customer records and memberships).
AUTH_QUERIES = 1 if settings.CACHES["default"]["BACKEND"].endswith("DatabaseCache") else 0

# The page of orders with their lines and the lines' services (one JSON array per order).
LIST_QUERIES = AUTH_QUERIES + 1
# A full page needs the count: one query more.
FULL_PAGE_QUERIES = LIST_QUERIES + 1
# A search looks the matching patients up first: one query more, however many orders match.
SEARCH_QUERIES = LIST_QUERIES + 1
# The access lookup and the order with everything it shows, its lines included, are one query
# (get_order_for's `shape`, `OrderQuerySet.answered`).
DETAIL_QUERIES = AUTH_QUERIES + 1
# The access lookup, then the history or the tasks.
EVENTS_QUERIES = AUTH_QUERIES + 2
TASKS_QUERIES = AUTH_QUERIES + 2

# ---- changes: the round trips inside the action's transaction ----------------------------
# In tests the transaction is a savepoint inside the test's own transaction: SAVEPOINT and
# RELEASE count as queries here (BEGIN and COMMIT outside tests, which the budgets leave out).
SAVEPOINT_QUERIES = 2
# The order locked (FOR UPDATE OF the order) with everything the action and its answer read:
# lab, customer, patient, the lines with their services (one JSON array), the task counts.
LOCK_AND_READ = 1
# The version-checked UPDATE of the order and the INSERT of its event: one statement on
# PostgreSQL (`WITH changed AS (UPDATE … RETURNING id) INSERT …`), two on SQLite, which has
# no data-modifying WITH.
UPDATE_AND_EVENT = 1 if connection.vendor == "postgresql" else 2
# A life-cycle action (start-production here): lock and read, update and event; the answer is
# the written row, no query after the write.
TRANSITION_QUERIES = AUTH_QUERIES + SAVEPOINT_QUERIES + LOCK_AND_READ + UPDATE_AND_EVENT
# A task marked done: the order locked with that task (and its assignee's name) as JSON, the
# task's UPDATE, the event's INSERT (a work-plan change leaves the order row alone); the
# answer is the written task.
TASK_MARK_QUERIES = AUTH_QUERIES + SAVEPOINT_QUERIES + LOCK_AND_READ + 1 + 1
# A payment: the order locked (alone: the answer is the payment), the payment's INSERT, then
# the order's update (amount paid, version) with the event.
PAYMENT_QUERIES = AUTH_QUERIES + SAVEPOINT_QUERIES + LOCK_AND_READ + 1 + UPDATE_AND_EVENT


def orders_of_a1(cast, count: int, *, lines: int):
    """Published orders of dentist A1 with `lines` lines each, planned (3 tasks a line), one task done."""
    orders = []
    for i in range(count):
        order = draft(cast.customer_a1, by=cast.admin_a, patient_name=f"Patient {i}", lines=lines)
        services.publish_order(cast.admin_a, order.number)
        workplan.plan_automatically(cast.tech_a, order.number)
        workplan.set_task_done(cast.tech_a, order.number, Task.objects.filter(order=order).first().pk, True)
        orders.append(order)
    return orders


@pytest.fixture
def clients(cast, api):
    """One client per reader, made before any budget is measured (issuing a token is a query),
    each signed in once so that its caller is in the shared cache."""
    clients = {"admin_a": api(cast.admin_a), "tech_a": api(cast.tech_a), "dentist_a1": api(cast.dentist_a1)}
    for client in clients.values():
        assert client.get("/labs").status_code == 200
    return clients


@pytest.mark.parametrize("reader", ["admin_a", "tech_a", "dentist_a1"])
def test_the_order_list_costs_the_same_queries_for_one_order_as_for_twenty(
    cast, clients, django_assert_num_queries, reader
):
    client = clients[reader]
    orders_of_a1(cast, 1, lines=1)

    with django_assert_num_queries(LIST_QUERIES):
        small = client.get("/orders")

    orders_of_a1(cast, 19, lines=3)
    with django_assert_num_queries(LIST_QUERIES):
        large = client.get("/orders")

    assert small.json()["count"] == 1
    body = large.json()
    assert (body["count"], len(body["items"])) == (20, 20)
    assert [(o["tasks_total"], o["tasks_done"], len(o["lines"])) for o in body["items"][:19]] == [(9, 1, 3)] * 19
    assert (body["items"][19]["tasks_total"], len(body["items"][19]["lines"])) == (3, 1)


def test_a_filtered_and_searched_order_list_has_the_same_budget(cast, clients, django_assert_num_queries):
    client = clients["admin_a"]
    orders_of_a1(cast, 1, lines=1)
    params = {"status": "published", "customer": cast.customer_a1.pk, "q": "Patient", "ordering": "due_date",
              "page_size": 25}

    with django_assert_num_queries(SEARCH_QUERIES):
        small = client.get("/orders", params)

    orders_of_a1(cast, 19, lines=3)
    with django_assert_num_queries(SEARCH_QUERIES):
        large = client.get("/orders", params)

    assert (small.json()["count"], large.json()["count"], len(large.json()["items"])) == (1, 20, 20)


def test_a_full_page_costs_one_query_more_for_the_count_and_the_last_page_counts_itself(
    cast, clients, django_assert_num_queries
):
    client = clients["admin_a"]
    orders_of_a1(cast, 12, lines=2)

    with django_assert_num_queries(FULL_PAGE_QUERIES):
        first = client.get("/orders", {"page_size": 5})
    with django_assert_num_queries(FULL_PAGE_QUERIES):
        by_cursor = client.get("/orders", {"page_size": 5, "cursor": first.json()["next_cursor"]})
    with django_assert_num_queries(LIST_QUERIES):
        last = client.get("/orders", {"page_size": 5, "page": 3})
    with django_assert_num_queries(FULL_PAGE_QUERIES):  # an empty page beyond the last: the page, the count
        beyond = client.get("/orders", {"page_size": 5, "page": 4})

    assert [r.json()["count"] for r in (first, by_cursor, last, beyond)] == [12, 12, 12, 12]
    assert [len(r.json()["items"]) for r in (first, by_cursor, last, beyond)] == [5, 5, 2, 0]


@pytest.mark.parametrize("reader", ["admin_a", "tech_a", "dentist_a1"])
def test_an_order_costs_the_same_queries_with_one_line_as_with_ten_lines_and_thirty_tasks(
    cast, clients, django_assert_num_queries, reader
):
    client = clients[reader]
    (small_order,) = orders_of_a1(cast, 1, lines=1)
    (large_order,) = orders_of_a1(cast, 1, lines=10)

    with django_assert_num_queries(DETAIL_QUERIES):
        small = client.get(f"/orders/{small_order.number}")
    with django_assert_num_queries(DETAIL_QUERIES):
        large = client.get(f"/orders/{large_order.number}")

    assert (len(small.json()["lines"]), small.json()["tasks_total"]) == (1, 3)
    assert (len(large.json()["lines"]), large.json()["tasks_total"], large.json()["tasks_done"]) == (10, 30, 1)


def test_the_history_and_the_tasks_of_a_big_order_cost_as_little_as_of_a_small_one(
    cast, clients, django_assert_num_queries
):
    client = clients["admin_a"]
    (small_order,) = orders_of_a1(cast, 1, lines=1)
    (large_order,) = orders_of_a1(cast, 1, lines=10)
    for task in Task.objects.filter(order=large_order)[:10]:
        workplan.edit_task(cast.admin_a, large_order.number, task.pk, workplan.TaskInput(assignee=cast.tech_a.pk))
        workplan.set_task_done(cast.tech_a, large_order.number, task.pk, True)

    for order, tasks in ((small_order, 3), (large_order, 30)):
        with django_assert_num_queries(EVENTS_QUERIES):
            events = client.get(f"/orders/{order.number}/events")
        with django_assert_num_queries(TASKS_QUERIES):
            listed = client.get(f"/orders/{order.number}/tasks")
        assert events.status_code == listed.status_code == 200
        assert len(listed.json()) == tasks
    assert len(events.json()) > 20  # the large order's history: create, publish, plan, marks, assignments


@pytest.mark.parametrize("lines", [1, 10])
def test_a_transition_costs_the_same_queries_however_big_the_order(cast, clients, django_assert_num_queries, lines):
    (order,) = orders_of_a1(cast, 1, lines=lines)
    today = cast.lab_a.local_date().isoformat()

    with django_assert_num_queries(TRANSITION_QUERIES):
        response = clients["admin_a"].post(
            f"/orders/{order.number}/actions/start-production", {"production_date": today}
        )

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["status"], len(body["lines"]), body["tasks_total"], body["tasks_done"]) == (
        "production", lines, 3 * lines, 1
    )


@pytest.mark.parametrize("action", ["cancel", "reopen", "ship", "update-tracking", "deliver"])
def test_every_life_cycle_action_fits_the_budget(cast, clients, django_assert_num_queries, order_in, action):
    """Ship and update-tracking also insert the tracking number: one round trip more."""
    status = {"cancel": "production", "reopen": "cancelled", "ship": "produced", "update-tracking": "shipped",
              "deliver": "shipped"}[action]
    order = order_in(status)
    body = {"cancel": {"reason": "no longer needed"}, "ship": {"tracking_number": "TRK-1"},
            "update-tracking": {"tracking_number": "TRK-2"}}.get(action)
    budget = TRANSITION_QUERIES + (1 if action in ("ship", "update-tracking") else 0)

    with django_assert_num_queries(budget):
        response = clients["admin_a"].post(f"/orders/{order.number}/actions/{action}", body)

    assert response.status_code == 200, response.content


def test_delivering_a_paid_order_completes_it_in_the_same_round_trips(
    cast, clients, django_assert_num_queries, order_in
):
    """Deliver and the Complete it brings are one UPDATE and one INSERT of both events."""
    order = order_in("shipped", paid=True)

    with django_assert_num_queries(TRANSITION_QUERIES):
        response = clients["admin_a"].post(f"/orders/{order.number}/actions/deliver")

    assert response.status_code == 200, response.content
    assert (response.json()["status"], response.json()["version"]) == ("completed", order.version + 2)
    assert list(order.events.order_by("-id").values_list("action", flat=True)[:2]) == ["complete", "deliver"]


@pytest.mark.parametrize("lines", [1, 10])
def test_marking_a_task_costs_the_same_queries_however_big_the_plan(cast, clients, django_assert_num_queries, lines):
    (order,) = orders_of_a1(cast, 1, lines=lines)
    task = Task.objects.filter(order=order, done=False).last()
    workplan.edit_task(cast.admin_a, order.number, task.pk, workplan.TaskInput(assignee=cast.tech_a.pk))

    with django_assert_num_queries(TASK_MARK_QUERIES):
        response = clients["tech_a"].post(f"/orders/{order.number}/tasks/{task.pk}/done")

    assert response.status_code == 200, response.content
    assert (response.json()["done"], response.json()["done_by"], response.json()["assignee"]["username"]) == (
        True, "tech-a", "tech-a"
    )


def test_a_payment_fits_its_budget(cast, clients, django_assert_num_queries):
    (order,) = orders_of_a1(cast, 1, lines=3)

    with django_assert_num_queries(PAYMENT_QUERIES):
        response = clients["admin_a"].post(f"/orders/{order.number}/payments", {"amount": "10.00"})

    assert response.status_code == 201, response.content
    assert response.json()["amount"] == "10.00"
