"""Every status x every status-changing endpoint x every role, through the API on the real database.

Each case is predicted twice: from a table transcribed by hand from the spec
(`shared/spec/order-lifecycle.md`, "Transitions") and from `crownline.orders.lifecycle`.
The two must agree before the API is asked, so a wrong lifecycle table fails here
instead of being echoed back by the test.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from decimal import Decimal

import pytest

from crownline.orders import guards, lifecycle, services
from crownline.orders.lifecycle import Action, Status
from crownline.orders.models import Order
from crownline.roles import Role
from crownline.workplan import services as workplan
from tests.factories import make_order

STATUSES = ["draft", "published", "production", "produced", "shipped", "delivered", "completed", "cancelled"]
# The endpoint actions that may change a status; "payment" is POST /orders/{n}/payments.
ACTIONS = [
    "publish", "takedown", "start-production", "produce", "ship", "update-tracking", "deliver", "cancel", "reopen",
    "payment",
]
ADMIN, TECH, OWNER = "admin", "technician", "owner"
ROLES = [ADMIN, TECH, OWNER]

BACK = "<where it was cancelled from>"
NOTHING_DUE = "<paid in full: no amount is valid>"

# Transcribed from the spec, not computed: action -> role -> {status it is taken in: status it leads to}.
# A role that is missing may never take the action (403); a status missing for a listed role is the
# wrong moment (409).
SPEC: dict[str, dict[str, dict[str, str]]] = {
    "publish": {
        ADMIN: {"draft": "published"},
        OWNER: {"draft": "published"},
    },
    "takedown": {
        ADMIN: {"published": "draft"},
        OWNER: {"published": "draft"},
    },
    "start-production": {
        ADMIN: {"published": "production"},
        TECH: {"published": "production"},
    },
    "produce": {
        ADMIN: {"production": "produced"},
        TECH: {"production": "produced"},
    },
    "ship": {
        ADMIN: {"produced": "shipped"},
        TECH: {"produced": "shipped"},
    },
    "update-tracking": {
        ADMIN: {"shipped": "shipped", "delivered": "delivered", "completed": "completed"},
        TECH: {"shipped": "shipped", "delivered": "delivered", "completed": "completed"},
    },
    # ...and on to Completed at once when the order is already paid in full (see `from_spec`).
    "deliver": {
        ADMIN: {"shipped": "delivered"},
        TECH: {"shipped": "delivered"},
        OWNER: {"shipped": "delivered"},
    },
    "cancel": {
        ADMIN: {s: "cancelled" for s in ("draft", "published", "production", "produced")},
        OWNER: {"draft": "cancelled", "published": "cancelled"},
    },
    "reopen": {
        ADMIN: {"cancelled": BACK},
    },
    # "Published ... Delivered, Completed"; a Completed order is paid in full, so the amount due is
    # zero and any amount is refused by the amount rule (422), not by the status rule.
    "payment": {
        ADMIN: {
            "published": "published", "production": "production", "produced": "produced", "shipped": "shipped",
            "delivered": "completed", "completed": NOTHING_DUE,
        },
    },
}

LIFECYCLE_ACTION = {a: Action.RECORD_PAYMENT if a == "payment" else Action(a) for a in ACTIONS}
LIFECYCLE_ROLE = {ADMIN: Role.ADMIN, TECH: Role.TECHNICIAN, OWNER: Role.CUSTOMER}


@dataclass(frozen=True)
class Outcome:
    code: int
    status: str | None = None
    events: tuple[str, ...] = field(default=())


@dataclass(frozen=True)
class Situation:
    """What the prediction needs to know about the order besides its status."""

    status: str
    cancelled_from: str = "published"
    paid: bool = False


def from_spec(s: Situation, action: str, role: str) -> Outcome:
    rules = SPEC[action]
    if role not in rules:
        return Outcome(403)
    if s.status not in rules[role]:
        return Outcome(409)
    to = rules[role][s.status]
    if to == NOTHING_DUE:
        return Outcome(422)
    if to == BACK:
        to = s.cancelled_from
    if action == "payment":
        return Outcome(201, to, ("record-payment",))
    if action == "deliver" and s.paid:
        return Outcome(200, "completed", ("deliver", "complete"))
    return Outcome(200, to, (action,))


def from_lifecycle(s: Situation, action: str, role: str, *, due: Decimal) -> Outcome:
    act, who, status = LIFECYCLE_ACTION[action], LIFECYCLE_ROLE[role], Status(s.status)
    if not lifecycle.may_ever(who, act):
        return Outcome(403)
    if not lifecycle.is_allowed(status, who, act):
        return Outcome(409)
    if act is Action.RECORD_PAYMENT:
        if guards.check_payment_amount(due, due=due) is not None:
            return Outcome(422)
        return Outcome(201, lifecycle.after_payment(status, paid_in_full=True).value, (act.value,))
    cancelled_from = Status(s.cancelled_from) if status is Status.CANCELLED else None
    to = lifecycle.next_status(status, act, cancelled_from=cancelled_from)
    events = [act.value]
    if act is Action.DELIVER:
        completed = lifecycle.after_payment(to, paid_in_full=s.paid)
        if completed is not to:
            to, events = completed, [*events, lifecycle.EventKind.COMPLETE.value]
    return Outcome(200, to.value, tuple(events))


def spec_allowed_now(status: str, role: str) -> set[str]:
    """The endpoint actions the spec lets this role take in this status (as lifecycle names)."""
    return {LIFECYCLE_ACTION[a].value for a, rules in SPEC.items() if status in rules.get(role, {})}


def build(cast, s: Situation) -> Order:
    """An order of dentist A1 in lab A in the situation, made through the real services."""
    target = s.cancelled_from if s.status == "cancelled" else s.status
    order = make_order(cast.admin_a, cast.customer_a1, status=target, service=cast.service_a, paid=s.paid)
    if target == "production":
        # Every task done: "produce" may then be refused only for the role or the status.
        for task in order.tasks.filter(done=False):
            workplan.set_task_done(cast.admin_a, order.number, task.pk, True)
    if s.status == "cancelled":
        services.cancel_order(cast.admin_a, order.number, reason="built for the matrix")
    order = Order.objects.get(pk=order.pk)
    assert order.status == s.status
    assert order.lab.plan_work_on_publish is False  # publishing writes exactly one event
    return order


def body_for(action: str, order: Order) -> dict:
    """A valid body for each action, so only the life-cycle rules can refuse."""
    today = order.lab.local_date().isoformat()
    return {
        "start-production": {"production_date": today},
        "ship": {"tracking_number": "1Z999AA10123456785", "carrier": "DHL"},
        "update-tracking": {"tracking_number": "1Z999AA10123456785", "carrier": "DHL"},
        "deliver": {"delivered_on": today},
        "cancel": {"reason": "the patient moved away"},
        "takedown": {"reason": "to add a line"},
        "payment": {"amount": str(order.amount_due), "method": "bank transfer", "reference": "matrix"},
    }.get(action, {})


def snapshot(order: Order) -> dict:
    order = Order.objects.get(pk=order.pk)
    return {
        "status": order.status,
        "version": order.version,
        "events": order.events.count(),
        "cancelled_from": order.cancelled_from,
        "amount_paid": order.amount_paid,
        "payments": order.payments.count(),
        "tracking_numbers": order.tracking_numbers.count(),
        "tracking_number": order.tracking_number,
        "tasks": list(order.tasks.values_list("id", "done")),
    }


def act(api, cast, order: Order, action: str, role: str):
    user = {ADMIN: cast.admin_a, TECH: cast.tech_a, OWNER: cast.dentist_a1}[role]
    path = f"/orders/{order.number}/payments" if action == "payment" else f"/orders/{order.number}/actions/{action}"
    return api(user).post(path, body_for(action, order))


def check(api, cast, s: Situation, action: str, role: str) -> None:
    expected = from_spec(s, action, role)
    order = build(cast, s)
    predicted = from_lifecycle(s, action, role, due=order.amount_due)
    assert predicted == expected, f"lifecycle.py predicts {predicted}, the spec says {expected}"

    before = snapshot(order)
    last_event = order.events.order_by("-id").values_list("id", flat=True).first()
    response = act(api, cast, order, action, role)
    assert response.status_code == expected.code, response.content
    body = response.json()

    if expected.code in (200, 201):
        order.refresh_from_db()
        assert order.status == expected.status
        if action != "payment":
            assert body["status"] == expected.status
            assert body["version"] == order.version
        new = list(order.events.filter(id__gt=last_event).order_by("id"))
        assert tuple(e.action for e in new) == expected.events
        assert order.version == before["version"] + len(new)
        assert new[0].from_status == before["status"]
        assert new[-1].to_status == expected.status
        for earlier, later in itertools.pairwise(new):
            assert later.from_status == earlier.to_status
        return

    assert snapshot(order) == before, "a refused action changed the order"
    if expected.code == 409:
        who = LIFECYCLE_ROLE[role]
        assert body["status"] == s.status
        assert body["allowed_actions"] == [a.value for a in lifecycle.allowed_actions(Status(s.status), who)]
        endpoint_actions = {LIFECYCLE_ACTION[a].value for a in ACTIONS}
        assert set(body["allowed_actions"]) & endpoint_actions == spec_allowed_now(s.status, role)
    elif expected.code == 422:
        assert body["errors"][0]["field"] == "amount"



@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("status", STATUSES)
def test_every_action_in_every_status_for_every_role(cast, api, status, action, role):
    check(api, cast, Situation(status), action, role)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("cancelled_from", ["draft", "published", "production", "produced"])
def test_reopen_goes_back_to_where_the_order_was_cancelled_from(cast, api, cancelled_from, role):
    check(api, cast, Situation("cancelled", cancelled_from=cancelled_from), "reopen", role)


@pytest.mark.parametrize("role", ROLES)
def test_delivering_a_paid_order_completes_it_with_two_events(cast, api, role):
    check(api, cast, Situation("shipped", paid=True), "deliver", role)


def test_the_matrix_covers_every_status_changing_action_and_endpoint():
    assert set(lifecycle.ORDER_ACTIONS) == set(ACTIONS) - {"payment"}
    moving = {action for _, action in lifecycle.TRANSITIONS} | {Action.REOPEN, Action.RECORD_PAYMENT}
    assert moving <= set(LIFECYCLE_ACTION.values())
    assert set(STATUSES) == {s.value for s in Status}
