"""Tenant isolation on every order endpoint: an order the caller may not see does not exist.

Each endpoint is tried on an order in a status where the action would succeed for its
rightful actor, so a 404 here can only come from the access check.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest

from crownline.orders.models import Order
from crownline.workplan import services as workplan
from crownline.workplan.models import Task
from tests.orders.helpers import snapshot

MISSING = "0123456789"  # a well-formed number no order has


@dataclass(frozen=True)
class Endpoint:
    status: str
    method: str
    path: str  # "{n}" is the order number, "{p}" a payment of the order
    body: Callable[[Order], dict | None] = lambda order: None
    if_match: bool = False
    ok: int = 200  # what lab A's admin gets for the same call

    def call(self, client, order: Order, number: str | None = None):
        payment = order.payments.first()
        path = self.path.format(n=number or order.number, p=payment.pk if payment else 1)
        headers = {"HTTP_IF_MATCH": f'"{number or order.number}-{order.version}"'} if self.if_match else {}
        if self.method == "get":
            return client.get(path, **headers)
        return getattr(client, self.method)(path, self.body(order), **headers)


def _today(order: Order) -> dict:
    return {"production_date": order.lab.local_date().isoformat()}


ENDPOINTS = {
    "get order": Endpoint("shipped", "get", "/orders/{n}"),
    "edit order": Endpoint("published", "patch", "/orders/{n}", lambda o: {"notes": "mine now"}, if_match=True),
    "publish": Endpoint("draft", "post", "/orders/{n}/actions/publish"),
    "takedown": Endpoint("published", "post", "/orders/{n}/actions/takedown", lambda o: {"reason": "x"}),
    "start production": Endpoint("published", "post", "/orders/{n}/actions/start-production", _today),
    "produce": Endpoint("production-done", "post", "/orders/{n}/actions/produce"),
    "ship": Endpoint("produced", "post", "/orders/{n}/actions/ship", lambda o: {"tracking_number": "1Z"}),
    "update tracking": Endpoint(
        "shipped", "post", "/orders/{n}/actions/update-tracking", lambda o: {"tracking_number": "2Z"}
    ),
    "deliver": Endpoint("shipped", "post", "/orders/{n}/actions/deliver"),
    "cancel": Endpoint("published", "post", "/orders/{n}/actions/cancel", lambda o: {"reason": "x"}),
    "reopen": Endpoint("cancelled", "post", "/orders/{n}/actions/reopen"),
    "unknown action": Endpoint("published", "post", "/orders/{n}/actions/teleport", ok=404),
    "list payments": Endpoint("completed", "get", "/orders/{n}/payments"),
    "record payment": Endpoint("delivered", "post", "/orders/{n}/payments", lambda o: {"amount": "1.00"}, ok=201),
    "cancel payment": Endpoint("completed", "post", "/orders/{n}/payments/{p}/cancel", lambda o: {"reason": "x"}),
    "payment instructions": Endpoint("delivered", "get", "/orders/{n}/payment-instructions"),
    "events": Endpoint("shipped", "get", "/orders/{n}/events"),
    "list tasks": Endpoint("published", "get", "/orders/{n}/tasks"),
    "add task": Endpoint("published", "post", "/orders/{n}/tasks", lambda o: {"name": "Polish"}, ok=201),
    "plan work": Endpoint("published", "post", "/orders/{n}/work-plan/auto"),
    "list comments": Endpoint("published", "get", "/orders/{n}/comments"),
    "add comment": Endpoint("published", "post", "/orders/{n}/comments", lambda o: {"body": "hello"}, ok=201),
}


@pytest.fixture
def order_for(cast, order_in):
    def build(endpoint: Endpoint) -> Order:
        if endpoint.status == "production-done":
            order = order_in("production")
            for task in Task.objects.filter(order=order):
                workplan.set_task_done(cast.admin_a, order.number, task.pk, True)
            return Order.objects.get(pk=order.pk)
        return order_in(endpoint.status, plan=endpoint.path != "/orders/{n}/work-plan/auto")

    return build


@pytest.mark.parametrize("name", list(ENDPOINTS))
def test_lab_b_staff_lab_b_dentists_and_other_dentists_get_404_for_a_lab_a_order(cast, api, order_for, name):
    endpoint = ENDPOINTS[name]
    order = order_for(endpoint)
    before = snapshot(order)

    for intruder in (cast.admin_b, cast.dentist_b, cast.dentist_a2):
        response = endpoint.call(api(intruder), order)
        missing = endpoint.call(api(intruder), order, number=MISSING)

        assert response.status_code == 404, (intruder.username, response.content)
        assert response.json() == {"detail": "No such order."}, intruder.username
        assert (missing.status_code, missing.json()) == (404, response.json())  # "not yours" == "missing"
        assert snapshot(order) == before, intruder.username


@pytest.mark.parametrize("name", list(ENDPOINTS))
def test_the_rightful_actor_is_not_refused_where_strangers_are(cast, api, order_for, name):
    """The counterpart of the 404 test: the same call by lab A's admin goes through."""
    endpoint = ENDPOINTS[name]
    order = order_for(endpoint)

    response = endpoint.call(api(cast.admin_a), order)

    assert response.status_code == endpoint.ok, response.content
    if endpoint.ok == 404:
        assert "Known actions" in response.json()["detail"]


def test_nobody_signed_in_gets_401_on_every_order_endpoint(cast, api, order_in):
    order = order_in("completed")
    before = snapshot(order)

    refused = {name: endpoint.call(api(), order) for name, endpoint in ENDPOINTS.items()}
    refused["list orders"] = api().get("/orders")
    refused["create order"] = api().post("/orders", {"customer": cast.customer_a1.pk, "lines": []})

    assert {name: r.status_code for name, r in refused.items()} == dict.fromkeys(refused, 401)
    assert all(r.json()["detail"] for r in refused.values())
    assert all(r["WWW-Authenticate"] == "Bearer" for r in refused.values())
    assert snapshot(order) == before
    assert Order.objects.count() == 1


def test_a_bad_token_is_refused_like_no_token(cast, api, order_in):
    order = order_in("published")
    client = api()
    client.headers["HTTP_AUTHORIZATION"] = "Bearer not-a-real-token"

    assert client.get(f"/orders/{order.number}").status_code == 401
    assert client.post(f"/orders/{order.number}/actions/takedown").status_code == 401
    assert Order.objects.get(pk=order.pk).status == "published"
