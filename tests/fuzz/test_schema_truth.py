"""The schema tells the truth: what it calls a valid request, the API does not mostly refuse.

schemathesis warns "Schema validation mismatch" for an operation when every valid request it
generated was refused and at least a tenth of the refusals were about the data (400, 412,
415, 422, 428: anything but 401, 403, 404, 409 and 429): the validators enforce rules the
schema does not declare. This test applies the same rule in-process, to the operations that
warning named in issue 11, with real order numbers and ids in the path (as a client has them)
and lab A's admin, technician and dentist A1 taking turns, so that a rule the schema leaves
out (a money string it calls valid, a task name of spaces, an unknown paper size) fails here.
"""

from __future__ import annotations

import itertools
from collections import Counter

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.core import NOT_SET

from crownline.wsgi import application
from tests.fuzz.world import ACTORS, World, build_world

EXAMPLES = 12
NOT_ABOUT_THE_DATA = {401, 403, 404, 409, 429}

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)

# The operations schemathesis named (issue 11, finding 8); tokens and invitations are left to
# their own tests (the sign-in throttle would lock the test client out).
OPERATIONS = [
    "POST /orders", "PATCH /orders/{number}",
    *(f"POST /orders/{{number}}/actions/{a}" for a in (
        "publish", "takedown", "start-production", "produce", "ship", "update-tracking", "deliver", "cancel",
        "reopen")),
    "PATCH /labs/{slug}/members/{user_id}", "POST /labs/{slug}/customers", "POST /labs/{slug}/patients",
    "POST /labs/{slug}/services", "PATCH /labs/{slug}/services/{service_id}", "PATCH /labs/{slug}/settings",
    "GET /orders/{number}/print.pdf", "GET /orders/{number}/print.html", "GET /orders/{number}/label.pdf",
    "POST /orders/{number}/payments", "POST /orders/{number}/comments", "POST /orders/{number}/tasks",
    "PATCH /orders/{number}/tasks/{task_id}",
]


@pytest.fixture(autouse=True)
def _keep_test_connection():
    """The WSGI handler closes the connection after each request; the test's transaction lives on it."""
    for signal in (signals.request_started, signals.request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (signals.request_started, signals.request_finished):
        signal.connect(close_old_connections)


# An edit is allowed on a draft or a published order only: the others answer 409, which says
# nothing about the data, so the edit is tried on those two (the data is what is measured).
EDITABLE = ("draft", "published")


def _orders(world: World, label: str) -> list:
    if "{task_id}" in label:
        return [o for o in world.orders if world.task_ids(o)]
    if label == "PATCH /orders/{number}":
        return [o for o in world.orders if o.status in EDITABLE]
    return world.orders


def _path_parameters(world: World, label: str, order) -> dict:
    path = label.split(" ", 1)[1]
    known = {
        "number": order.number, "slug": world.cast.lab_a.slug, "service_id": world.cast.service_a.pk,
        "user_id": world.cast.tech_a.pk, "task_id": (world.task_ids(order) or [None])[0],
    }
    return {name: value for name, value in known.items() if "{" + name + "}" in path}


def aim_body(body: object, world: World, customer) -> None:
    """Ids in a body are ones the client has (a random customer id is not a valid request that the
    schema could have described better: no schema lists a lab's customers)."""
    if not isinstance(body, dict):
        return
    cast = world.cast
    known = {"customer": customer.pk, "service": cast.service_a.pk, "assignee": cast.tech_a.pk,
             "patient": customer.patients.values_list("pk", flat=True).first()}
    for name, value in known.items():
        if body.get(name) is not None:
            body[name] = value
    for name in ("clinic", "id"):  # no clinics in the cast; a kept line's id is the order's own
        body.pop(name, None)
    for line in body.get("lines") or []:
        aim_body(line, world, customer)


def outcomes(world: World, label: str) -> Counter:
    method, path = label.split(" ", 1)
    operation = schema["/api/v1" + path][method]
    answers: Counter = Counter()
    turns = itertools.count()
    orders = _orders(world, label)
    strategies = [
        operation.as_strategy(GenerationMode.POSITIVE, path_parameters=_path_parameters(world, label, order))
        for order in orders
    ]

    @given(data=st.data())
    @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    def call(data) -> None:
        turn = next(turns)
        case = data.draw(strategies[turn % len(strategies)])
        order = orders[turn % len(orders)]
        headers = {"Authorization": f"Bearer {world.tokens[ACTORS[turn % len(ACTORS)]]}"}
        if "If-Match" in {p.name for p in operation.headers} and "number" in (case.path_parameters or {}):
            headers["If-Match"] = f'"{world.etag(case.path_parameters["number"])}"'
        case.headers = {k: v for k, v in (case.headers or {}).items() if k != "Idempotency-Key"}
        if case.body is None:
            # An optional body left out: schemathesis would send it as JSON `null`, which the
            # schema does not allow (an object) and the API refuses (tests/fuzz/test_found_by_fuzzing.py).
            case.body = NOT_SET
        aim_body(case.body, world, order.customer)
        answers[case.call(headers=headers).status_code] += 1

    call()
    return answers


@pytest.mark.parametrize("label", OPERATIONS)
def test_valid_requests_are_not_mostly_refused_for_their_data(cast, label):
    answers = outcomes(build_world(cast), label)

    refused = sum(n for code, n in answers.items() if 400 <= code < 500)
    about_the_data = sum(n for code, n in answers.items() if 400 <= code < 500 and code not in NOT_ABOUT_THE_DATA)
    accepted = sum(n for code, n in answers.items() if code < 400)
    assert accepted or about_the_data < 0.1 * refused, dict(answers)
    assert not any(code >= 500 for code in answers), dict(answers)
