"""What each role sees of one order, through every door: a table per answer, one row per role.

The scene: an order of dentist A1 with two priced services, a work plan whose tasks carry pay
(one task each for the technician `tech_a` and a colleague `tech-2`, one unassigned), a payment,
a public and an internal comment. Every figure is chosen so that no other number on a page
can contain it by chance, so "the figure is not in the answer" means the reader never saw it.

The rules (crownline/roles.py): money (prices, totals, payments) to the lab admin and the
customer, never a technician; task pay to the lab admin, and to a technician for their own
tasks only; the work plan's history, assignees and internal comments to the lab's staff.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

import pytest

from crownline.orders import comments, drafting, payments, services
from crownline.orders.drafting import LineInput, OrderInput
from crownline.orders.lifecycle import WORK_PLAN_EVENTS
from crownline.workplan import services as workplan
from crownline.workplan.models import Task
from tests.factories import MembershipFactory, ServiceFactory

CROWN, GUARD = Decimal("271.13"), Decimal("94.57")
TEMPLATE_PAY, OWN_PAY, COLLEAGUE_PAY = Decimal("13.77"), Decimal("21.19"), Decimal("47.31")
PAID = Decimal("50.00")
PRICES = (CROWN, GUARD, CROWN + GUARD)  # unit prices, line totals and the order total
INTERNAL = "Bonus for the rush job approved."
PUBLIC = "Please match the neighbouring incisor."
WORK_PLAN_KINDS = {k.value for k in WORK_PLAN_EVENTS}
ROLES = ["admin_a", "tech_a", "dentist_a1"]


@dataclass
class Scene:
    number: str
    own_task: int  # tech_a's
    colleague_task: int  # tech-2's
    colleague: object


@pytest.fixture
def scene(cast) -> Scene:
    lab, admin = cast.lab_a, cast.admin_a
    colleague = MembershipFactory(lab=lab, role="technician", user__username="tech-2").user
    crown = ServiceFactory(lab=lab, name="Zirconia crown", price=CROWN, templates=[])
    crown.task_templates.create(position=1, name="Mill framework", default_pay=TEMPLATE_PAY)
    guard = ServiceFactory(lab=lab, name="Night guard", price=GUARD, templates=[])
    order = drafting.create_order(
        admin,
        OrderInput(customer=cast.customer_a1.pk, patient_name="Erika Mustermann",
                   lines=[LineInput(service=crown.pk, teeth=[11]), LineInput(service=guard.pk)]),
        lab_slug=lab.slug,
    )
    n = order.number
    services.publish_order(admin, n)
    workplan.plan_automatically(admin, n)
    own = workplan.add_task(admin, n, workplan.TaskInput(name="Polish", assignee=cast.tech_a.pk, pay=OWN_PAY))
    theirs = workplan.add_task(admin, n, workplan.TaskInput(name="Final check", assignee=colleague.pk))
    workplan.edit_task(admin, n, theirs.pk, workplan.TaskInput(pay=COLLEAGUE_PAY))  # pay in the history
    payments.record_payment(admin, n, amount=PAID, method="cash", reference="R-8812")
    comments.add_comment(cast.dentist_a1, n, body=PUBLIC)
    comments.add_comment(admin, n, body=INTERNAL, internal=True)
    services.start_production(admin, n, production_date=lab.local_date())
    return Scene(number=n, own_task=own.pk, colleague_task=theirs.pk, colleague=colleague)


def figures(text: str) -> dict[str, bool]:
    """Which of the scene's secrets a text shows (drawings left out: a barcode's coordinates of a
    random order number can spell "47.31" by chance)."""
    text = re.sub(r"<svg.*?</svg>", "", text, flags=re.DOTALL)
    return {
        "prices": any(str(p) in text for p in PRICES),
        "template pay": str(TEMPLATE_PAY) in text,
        "own pay": str(OWN_PAY) in text,
        "colleague's pay": str(COLLEAGUE_PAY) in text,
        "internal comment": INTERNAL in text,
    }


# ---- the API door ----------------------------------------------------------------------

SERVICES = {  # role: (prices shown, task templates shown, their default pay shown)
    "admin_a": (True, True, True),
    "tech_a": (False, True, False),
    "dentist_a1": (True, False, False),
}


@pytest.mark.parametrize("who", ROLES)
def test_the_services_listing_shows_prices_and_pay_by_role(api, cast, scene, who):
    body = api(getattr(cast, who)).get("/labs/lab-a/services").json()
    crown = next(s for s in body if s["name"] == "Zirconia crown")
    templates = crown["task_templates"]
    shown = (
        crown["price"] is not None,
        templates is not None,
        bool(templates) and templates[0]["default_pay"] is not None,
    )
    assert shown == SERVICES[who]
    assert figures(str(body))["prices"] is SERVICES[who][0]


ORDER_MONEY = ("total", "amount_paid")
LINE_MONEY = ("unit_price", "line_total")
SEES_MONEY = {"admin_a": True, "tech_a": False, "dentist_a1": True}


@pytest.mark.parametrize("who", ROLES)
@pytest.mark.parametrize("how", ["one", "list"])
def test_an_order_answer_shows_money_to_the_roles_that_see_money(api, cast, scene, who, how):
    client = api(getattr(cast, who))
    if how == "one":
        order = client.get(f"/orders/{scene.number}").json()
    else:
        order = next(o for o in client.get("/orders").json()["items"] if o["number"] == scene.number)
    shown = {key: order[key] is not None for key in ORDER_MONEY}
    shown |= {key: all(line[key] is not None for line in order["lines"]) for key in LINE_MONEY}
    assert shown == dict.fromkeys(ORDER_MONEY + LINE_MONEY, SEES_MONEY[who])
    assert figures(str(order))["prices"] is SEES_MONEY[who]


PAYMENTS = {"admin_a": 200, "tech_a": 403, "dentist_a1": 200}


@pytest.mark.parametrize("who", ROLES)
def test_only_the_roles_that_see_money_list_payments(api, cast, scene, who):
    response = api(getattr(cast, who)).get(f"/orders/{scene.number}/payments")
    assert response.status_code == PAYMENTS[who]
    assert (str(PAID) in response.content.decode()) is (PAYMENTS[who] == 200)


TASK_PAY = {  # role: (own task's pay, colleague's task's pay, unassigned task's pay, assignees)
    "admin_a": (True, True, True, True),
    "tech_a": (True, False, False, True),
    "dentist_a1": (False, False, False, False),
}


@pytest.mark.parametrize("who", ROLES)
def test_the_task_list_shows_pay_to_the_lab_admin_and_to_each_technician_for_their_own(api, cast, scene, who):
    tasks = {t["id"]: t for t in api(getattr(cast, who)).get(f"/orders/{scene.number}/tasks").json()}
    unassigned = next(t for t in tasks.values() if t["name"] == "Mill framework")
    shown = (
        tasks[scene.own_task]["pay"] is not None,
        tasks[scene.colleague_task]["pay"] is not None,
        unassigned["pay"] is not None,
        tasks[scene.own_task]["assignee"] is not None,
    )
    assert shown == TASK_PAY[who]


EVENTS = {  # role: (work-plan events, payment amount, task pay in an edit)
    "admin_a": (True, True, True),
    "tech_a": (True, False, False),
    "dentist_a1": (False, True, False),
}


@pytest.mark.parametrize("who", ROLES)
def test_the_history_shows_each_role_its_own_cut(api, cast, scene, who):
    events = api(getattr(cast, who)).get(f"/orders/{scene.number}/events").json()
    kinds = {e["action"] for e in events}
    payment = next(e for e in events if e["action"] == "record-payment")
    edits = [e for e in events if e["action"] == "edit-task"]
    shown = (bool(kinds & WORK_PLAN_KINDS), "amount" in payment["data"], any("pay" in e["data"] for e in edits))
    assert shown == EVENTS[who]
    assert figures(str(events))["colleague's pay"] is EVENTS[who][2]


@pytest.mark.parametrize("who", ROLES)
def test_internal_comments_reach_the_lab_only(api, cast, scene, who):
    body = api(getattr(cast, who)).get(f"/orders/{scene.number}/comments").json()
    assert (INTERNAL in str(body)) is (who != "dentist_a1")
    assert PUBLIC in str(body)


# ---- the page door and the print -----------------------------------------------------------

PAGE = {  # what the order page shows each role
    "admin_a": {"prices": True, "template pay": True, "own pay": True, "colleague's pay": True,
                "internal comment": True},
    "tech_a": {"prices": False, "template pay": False, "own pay": True, "colleague's pay": False,
               "internal comment": True},
    "dentist_a1": {"prices": True, "template pay": False, "own pay": False, "colleague's pay": False,
                   "internal comment": False},
}


@pytest.mark.parametrize("who", ROLES)
def test_the_order_page_shows_each_role_what_the_api_does(client, cast, scene, who):
    client.force_login(getattr(cast, who))
    page = client.get(f"/orders/{scene.number}/").content.decode()
    assert figures(page) == PAGE[who]
    assert ("Task added" in page) is (who != "dentist_a1")  # the work plan's history


@pytest.mark.parametrize("who", ROLES)
def test_the_printed_form_shows_each_role_what_the_api_does(api, cast, scene, who):
    html = api(getattr(cast, who)).get(f"/orders/{scene.number}/print.html").content.decode()
    assert figures(html) == PAGE[who]
    assert ("Task added" in html) is (who != "dentist_a1")


@pytest.mark.parametrize("who", ["admin_a", "tech_a"])
def test_the_order_list_page_shows_totals_only_to_who_sees_money(client, cast, scene, who):
    client.force_login(getattr(cast, who))
    page = client.get("/orders/").content.decode()
    assert str(CROWN + GUARD) in page if who == "admin_a" else not figures(page)["prices"]


def test_my_tasks_shows_a_technician_their_own_pay_and_nobody_elses(client, cast, scene):
    client.force_login(cast.tech_a)
    page = client.get("/tasks/mine/").content.decode()
    assert figures(page) == {**PAGE["tech_a"], "internal comment": False}


# ---- the hole: taking a colleague's task to read its pay ------------------------------------


def test_a_technician_cannot_take_a_colleagues_task_and_so_never_reads_its_pay(api, cast, scene):
    client = api(cast.tech_a)
    response = client.patch(f"/orders/{scene.number}/tasks/{scene.colleague_task}", {"assignee": cast.tech_a.pk})
    assert response.status_code == 403
    assert "colleague" in response.json()["detail"]
    assert str(COLLEAGUE_PAY) not in response.content.decode()
    assert Task.objects.get(pk=scene.colleague_task).assignee == scene.colleague
    for path in ("/tasks", "/events", "/print.html"):
        assert not figures(client.get(f"/orders/{scene.number}{path}").content.decode())["colleague's pay"], path
