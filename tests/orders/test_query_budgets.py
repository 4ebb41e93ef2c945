"""Query budgets: reading orders costs the same number of queries however much they hold.

The numbers are exact on purpose: one more query per request is a regression to look at,
and a count that grows with the data is an N+1. Each budget is checked on a small and a
large data set. Where the queries go (list): the bearer token with its user, the
caller's customer records and memberships (lab roles, one UNION), the page of orders,
their lines with the lines' services, and the count (only for a full page: a page that is
not full is the last, and its number and length give the count). Detail: the same, with the access lookup
instead of the count.
"""

from __future__ import annotations

import pytest

from crownline.orders import services
from crownline.workplan import services as workplan
from crownline.workplan.models import Task
from tests.orders.helpers import draft

LIST_QUERIES = 4
# A full page needs the count: one query more.
FULL_PAGE_QUERIES = LIST_QUERIES + 1
# A search looks the matching patients up first: one query more, however many orders match.
SEARCH_QUERIES = LIST_QUERIES + 1
# The access lookup and the order with everything it shows are one query (get_order_for's `shape`).
DETAIL_QUERIES = 4
EVENTS_QUERIES = 4
TASKS_QUERIES = 4


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
    """One client per reader, made before any budget is measured (issuing a token is a query)."""
    return {"admin_a": api(cast.admin_a), "tech_a": api(cast.tech_a), "dentist_a1": api(cast.dentist_a1)}


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
    with django_assert_num_queries(LIST_QUERIES):  # no lines to read, but the count
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


# A life-cycle action: the token, the lab roles, the locked order with its customer and
# patient, the version-checked update, the event, then the answer's lines (with services)
# and task counts; plus the transaction's savepoint and its release inside the test's own
# transaction (BEGIN and COMMIT outside tests).
TRANSITION_QUERIES = 9


@pytest.mark.parametrize("lines", [1, 10])
def test_a_transition_costs_the_same_queries_however_big_the_order(cast, clients, django_assert_num_queries, lines):
    (order,) = orders_of_a1(cast, 1, lines=lines)
    today = cast.lab_a.local_date().isoformat()

    with django_assert_num_queries(TRANSITION_QUERIES):
        response = clients["admin_a"].post(
            f"/orders/{order.number}/actions/start-production", {"production_date": today}
        )

    assert response.status_code == 200, response.content
    assert (response.json()["status"], len(response.json()["lines"])) == ("production", lines)
