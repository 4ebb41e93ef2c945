"""Every route, every actor: the expected answer.

The routes are discovered: API operations from the OpenAPI schema, pages from the URL
configuration. A route added without a row here fails `test_every_route_has_a_row`, so
nobody ships an endpoint whose permissions were never decided.

Actors, in column order: lab A admin, lab A technician, dentist A1 (owns the order),
dentist A2 (same lab, another customer), lab B admin, dentist B, anonymous.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLResolver, get_resolver

from crownline.api import api
from crownline.invitations.models import Invitation
from crownline.orders import payments
from crownline.orders.models import Order
from crownline.tenancy.models import ApiToken
from crownline.workplan import services as workplan
from tests.case import matrix_copies, matrix_files, matrix_markers, matrix_outsourcing, matrix_schedule
from tests.factories import invite, make_order, sent_an_hour_ago
from tests.matrix import (  # noqa: F401
    ACTORS,
    LOGIN,
    OTHERS,
    PAGE_OTHERS,
    TODAY,
    VERSION,
    Row,
    order_row,
    page_row,
)
from tests.money import matrix_balances, matrix_invoices, matrix_pricing

API: dict[str, Row] = {
    "POST /api/v1/auth/token": Row("POST", None, ("public",) * 7),
    # Everyone signed in ends the token they call with (the matrix issues one per call).
    "POST /api/v1/auth/sign-out": Row("POST", None, (204, 204, 204, 204, 204, 204, 401)),
    "GET /api/v1/auth/tokens": Row("GET", None, (200, 200, 200, 200, 200, 200, 401)),
    # {token_id} is dentist A1's: only they revoke it; to anyone else it does not exist.
    "DELETE /api/v1/auth/tokens/{token_id}": Row("DELETE", None, (404, 404, 204, 404, 404, 404, 401)),
    "GET /api/v1/labs": Row("GET", None, (200, 200, 200, 200, 200, 200, 401)),
    "GET /api/v1/labs/{slug}/settings": Row("GET", None, (200, 403, 403, 403, 404, 404, 401)),
    "PATCH /api/v1/labs/{slug}/settings": Row(
        "PATCH", None, (200, 403, 403, 403, 404, 404, 401), body={"contacts": "Main street 1"}
    ),
    "GET /api/v1/labs/{slug}/members": Row("GET", None, (200, 200, 404, 404, 404, 404, 401)),
    # Invitations ({id}, {token}: a fresh customer invitation of lab A per call). Accepting is
    # for whoever holds the link, but not into a lab one is in already (409).
    "GET /api/v1/labs/{slug}/invitations": Row("GET", None, (200, 403, 403, 403, 404, 404, 401)),
    "POST /api/v1/labs/{slug}/invitations": Row(
        "POST", None, (201, 403, 403, 403, 404, 404, 401), body={"email": "new@example.com", "role": "technician"}
    ),
    "DELETE /api/v1/labs/{slug}/invitations/{id}": Row("DELETE", None, (204, 403, 403, 403, 404, 404, 401)),
    "POST /api/v1/labs/{slug}/invitations/{id}/resend": Row("POST", None, (200, 403, 403, 403, 404, 404, 401)),
    "POST /api/v1/invitations/{token}/accept": Row("POST", None, (409, 409, 409, 409, 200, 200, 401)),
    "PATCH /api/v1/labs/{slug}/members/{user_id}": Row(
        "PATCH", None, (200, 403, 403, 403, 404, 404, 401), body={"is_active": True}
    ),
    "GET /api/v1/labs/{slug}/services": Row("GET", None, (200, 200, 200, 200, 404, 404, 401)),
    "POST /api/v1/labs/{slug}/services": Row(
        "POST", None, (201, 403, 403, 403, 404, 404, 401), body={"name": "Inlay", "price": "80.00"}
    ),
    "PATCH /api/v1/labs/{slug}/services/{service_id}": Row(
        "PATCH", None, (200, 403, 403, 403, 404, 404, 401), body={"group": "Inlays"}
    ),
    "GET /api/v1/labs/{slug}/clinics": Row("GET", None, (200, 200, 403, 403, 404, 404, 401)),
    "POST /api/v1/labs/{slug}/clinics": Row(
        "POST", None, (201, 403, 403, 403, 404, 404, 401), body={"name": "North Clinic"}
    ),
    "GET /api/v1/labs/{slug}/customers": Row("GET", None, (200, 200, 403, 403, 404, 404, 401)),
    "POST /api/v1/labs/{slug}/customers": Row(
        "POST", None, (201, 403, 403, 403, 404, 404, 401), body={"name": "Dr. New"}
    ),
    "GET /api/v1/labs/{slug}/patients": Row("GET", None, (200, 200, 200, 200, 404, 404, 401)),
    # A dentist adds patients for themselves only: A2 naming A1's record is refused by rule.
    "POST /api/v1/labs/{slug}/patients": Row(
        "POST", None, (201, 403, 201, 422, 404, 404, 401), body={"name": "P. Smith", "customer": "{customer_a1}"}
    ),
    "GET /api/v1/orders": Row("GET", None, (200, 200, 200, 200, 200, 200, 401)),
    # Lab B's people name a lab they do not work with: the body's `lab` field is refused.
    "POST /api/v1/orders": Row(
        "POST",
        None,
        (201, 403, 201, 422, 422, 422, 401),
        body={
            "lab": "lab-a",
            "customer": "{customer_a1}",
            "patient_name": "Ann Example",
            "lines": [{"service": "{service_id}"}],
        },
    ),
    "GET /api/v1/orders/{number}": order_row("GET", "draft", 200, 200, 200),
    "PATCH /api/v1/orders/{number}": order_row("PATCH", "draft", 200, 403, 200, body={"notes": "Rush, please"}),
    "POST /api/v1/orders/{number}/actions/publish": order_row("POST", "draft", 200, 403, 200),
    "POST /api/v1/orders/{number}/actions/takedown": order_row("POST", "published", 200, 403, 200),
    "POST /api/v1/orders/{number}/actions/start-production": order_row(
        "POST", "published", 200, 200, 403, body={"production_date": TODAY}
    ),
    "POST /api/v1/orders/{number}/actions/produce": order_row("POST", "production-done", 200, 200, 403),
    "POST /api/v1/orders/{number}/actions/ship": order_row(
        "POST", "produced", 200, 200, 403, body={"tracking_number": "1Z999"}
    ),
    "POST /api/v1/orders/{number}/actions/update-tracking": order_row(
        "POST", "shipped", 200, 200, 403, body={"tracking_number": "1Z998"}
    ),
    "POST /api/v1/orders/{number}/actions/deliver": order_row("POST", "shipped", 200, 200, 200),
    "POST /api/v1/orders/{number}/actions/cancel": order_row(
        "POST", "published", 200, 403, 200, body={"reason": "the patient moved"}
    ),
    "POST /api/v1/orders/{number}/actions/reopen": order_row("POST", "cancelled", 200, 403, 403),
    "GET /api/v1/orders/{number}/payments": order_row("GET", "delivered", 200, 403, 200, paid=True),
    # The lab admin's discount; removing one from an order that has none is refused (422).
    "POST /api/v1/orders/{number}/discount": order_row(
        "POST", "published", 200, 403, 403, body={"kind": "percent", "value": "10"}),
    "DELETE /api/v1/orders/{number}/discount": order_row("DELETE", "published", 422, 403, 403),
    "POST /api/v1/orders/{number}/payments": order_row("POST", "delivered", 201, 403, 403, body={}),
    "POST /api/v1/orders/{number}/payments/{payment_id}/cancel": order_row(
        "POST", "delivered", 200, 403, 403, paid=True
    ),
    "GET /api/v1/orders/{number}/payment-instructions": order_row("GET", "delivered", 200, 200, 200),
    "GET /api/v1/orders/{number}/events": order_row("GET", "published", 200, 200, 200),
    "GET /api/v1/orders/{number}/comments": order_row("GET", "published", 200, 200, 200),
    "POST /api/v1/orders/{number}/comments": order_row("POST", "published", 201, 201, 201, body={"body": "Hi"}),
    "GET /api/v1/orders/{number}/tasks": order_row("GET", "published", 200, 200, 200),
    "POST /api/v1/orders/{number}/tasks": order_row("POST", "published", 201, 201, 403, body={"name": "Polish"}),
    "POST /api/v1/orders/{number}/work-plan/auto": order_row("POST", "published", 200, 200, 403),
    "PATCH /api/v1/orders/{number}/tasks/{task_id}": order_row(
        "PATCH", "published", 200, 200, 403, body={"name": "Model and die"}
    ),
    "DELETE /api/v1/orders/{number}/tasks/{task_id}": order_row("DELETE", "published", 204, 204, 403),
    "POST /api/v1/orders/{number}/tasks/{task_id}/done": order_row("POST", "published", 200, 200, 403),
    "DELETE /api/v1/orders/{number}/tasks/{task_id}/done": order_row("DELETE", "published", 200, 200, 403),
    "GET /api/v1/orders/{number}/print.pdf": order_row("GET", "production", 200, 200, 200),
    "GET /api/v1/orders/{number}/print.html": order_row("GET", "production", 200, 200, 200),
    "GET /api/v1/orders/{number}/label.pdf": order_row("GET", "production", 200, 200, 200),
}

# Pages work in the lab the user works in: lab B's admin managing "the lab" manages lab B.
PAGES: dict[str, Row] = {
    "GET lab/settings/": Row("GET", None, (200, 403, 403, 403, 200, 403, LOGIN)),
    "GET lab/team/": Row("GET", None, (200, 403, 403, 403, 200, 403, LOGIN)),
    # Lab B's admin acts on lab B's team: lab A's technician is not found there (the flash
    # message says so) and stays active; `test_refused_page_writes_change_nothing` checks it.
    "POST lab/team/<int:user_id>/active/": Row(
        "POST", None, (302, 403, 403, 403, 302, 403, LOGIN), form={"active": "1"}
    ),
    "GET lab/services/": Row("GET", None, (200, 403, 403, 403, 200, 403, LOGIN)),
    "GET lab/services/new/": Row("GET", None, (200, 403, 403, 403, 200, 403, LOGIN)),
    "GET lab/services/<int:service_id>/": Row("GET", None, (200, 403, 403, 403, 404, 403, LOGIN)),
    "GET lab/customers/": Row("GET", None, (200, 403, 403, 403, 200, 403, LOGIN)),
    "GET lab/invitations/": Row("GET", None, (200, 403, 403, 403, 200, 403, LOGIN)),
    "POST lab/invitations/": Row(
        "POST", None, (302, 403, 403, 403, 302, 403, LOGIN), form={"email": "new@example.com", "role": "technician"}
    ),
    # Lab B's admin works in lab B, where lab A's invitation does not exist.
    "POST lab/invitations/<int:invitation_id>/resend/": Row("POST", None, (302, 403, 403, 403, 404, 403, LOGIN)),
    "POST lab/invitations/<int:invitation_id>/revoke/": Row("POST", None, (302, 403, 403, 403, 404, 403, LOGIN)),
    # Public: the link's page shows to whoever holds the link; accepting (signed in) is refused
    # to lab A's own people, and a visitor's empty sign-up form is refused (422).
    "GET invitations/<str:token>/": Row("GET", None, (200,) * 7),
    "POST invitations/<str:token>/": Row("POST", None, (409, 409, 409, 409, 302, 302, 422)),
    # Lab A has not opened registration: its sign-up page does not exist, for anyone.
    "GET register/<slug:slug>/": Row("GET", None, (404,) * 7),
    "POST register/<slug:slug>/": Row("POST", None, (404,) * 7, form={"name": "Dr. X", "email": "x@example.com"}),
    # Switching to a lab one does not work with is refused with a message, and changes nothing.
    "POST lab/switch/": Row("POST", None, (302, 302, 302, 302, 302, 302, LOGIN), form={"lab": "{lab_a_id}"}),
    "GET orders/": Row("GET", None, (200, 200, 200, 200, 200, 200, LOGIN)),
    # A technician opening the dentist's order form is sent back to the list with a message.
    "GET orders/new/": Row("GET", None, (200, 302, 200, 200, 200, 200, LOGIN)),
    "GET orders/<str:number>/": page_row("GET", "draft", 200, 200, 200),
    "GET orders/<str:number>/edit/": page_row("GET", "draft", 200, 302, 200),
    "POST orders/<str:number>/actions/<slug:action>/": page_row("POST", "draft", 302, 403, 302, form=VERSION),
    "POST orders/<str:number>/payments/<int:payment_id>/cancel/": page_row(
        "POST", "delivered", 302, 403, 403, form={**VERSION, "reason": "refund"}, paid=True
    ),
    "GET orders/<str:number>/payment-instructions/": page_row("GET", "delivered", 200, 200, 200),
    "GET orders/<str:number>/print/": page_row("GET", "production", 200, 200, 200),
    "GET orders/<str:number>/label/": page_row("GET", "production", 200, 200, 200),
    "POST orders/<str:number>/comments/": page_row("POST", "published", 302, 302, 302, form={"body": "Hi"}),
    # Nobody assigns a dentist a task: their "My tasks" is simply empty.
    "GET tasks/mine/": Row("GET", None, (200, 200, 200, 200, 200, 200, LOGIN)),
    "POST orders/<str:number>/work-plan/auto/": page_row("POST", "published", 302, 302, 403, form=VERSION),
    "POST orders/<str:number>/tasks/add/": page_row(
        "POST", "published", 302, 302, 403, form={**VERSION, "name": "Polish"}
    ),
    "POST orders/<str:number>/tasks/<int:task_id>/edit/": page_row(
        "POST", "published", 302, 302, 403, form={**VERSION, "name": "Model and die"}
    ),
    "POST orders/<str:number>/tasks/<int:task_id>/done/": page_row(
        "POST", "published", 302, 302, 403, form={**VERSION, "done": "1"}
    ),
}
# The signed-in person's own account pages: the same for everyone signed in. The POSTs carry
# a wrong code (422, nothing changes) or name dentist A1's token (only they revoke it).
ACCOUNT_PAGES: dict[str, Row] = {
    "GET account/security/": Row("GET", None, (200,) * 6 + (LOGIN,)),
    "GET account/security/setup/": Row("GET", None, (200,) * 6 + (LOGIN,)),
    "POST account/security/off/": Row("POST", None, (422,) * 6 + (LOGIN,), form={"code": "12345"}),
    "POST account/security/recovery-codes/": Row("POST", None, (422,) * 6 + (LOGIN,), form={"code": "12345"}),
    "GET account/password/": Row("GET", None, (200,) * 6 + (LOGIN,)),
    "GET account/tokens/": Row("GET", None, (200,) * 6 + (LOGIN,)),
    "POST account/tokens/<int:token_id>/revoke/": Row("POST", None, (404, 404, 302, 404, 404, 404, LOGIN)),
}
PAGES.update(ACCOUNT_PAGES)
# The money routes (issue 12), each part's rows beside its tests; `values` fills their paths.
MONEY_PARTS = (matrix_pricing, matrix_invoices, matrix_balances)
# The case's routes (issue 13), likewise.
CASE_PARTS = (matrix_files, matrix_copies, matrix_markers, matrix_schedule, matrix_outsourcing)
for part in MONEY_PARTS + CASE_PARTS:
    API.update(part.API)
    PAGES.update(part.PAGES)
# Public pages: Django's own sign-in, sign-out and password views (and the sign-in's code step).
PUBLIC_PAGE_PREFIXES = ("accounts/",)


def _walk(resolver, prefix=""):
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            yield from _walk(p, prefix + str(p.pattern))
        else:
            yield prefix + str(p.pattern)


def discovered_pages() -> set[str]:
    """Every page route of the URL configuration except the admin, the API and public pages."""
    return {
        path
        for path in _walk(get_resolver())
        if path and not path.startswith(("admin/", "api/v1/", "static/", *PUBLIC_PAGE_PREFIXES))
    }


def discovered_api() -> set[str]:
    return {f"{m.upper()} {path}" for path, ops in api.get_openapi_schema()["paths"].items() for m in ops}


def test_every_route_has_a_row():
    assert discovered_api() == set(API), "add a row to API for each new endpoint (and drop stale ones)"
    assert discovered_pages() == {key.split(" ", 1)[1] for key in PAGES}, "add a row to PAGES"


# ---- the world each route is tried in ----------------------------------------------------


def _order(cast, status: str, paid: bool) -> Order:
    done_tasks = status == "production-done"
    order = make_order(
        cast.admin_a, cast.customer_a1, status="production" if done_tasks else status, service=cast.service_a
    )
    if done_tasks:
        for task in order.tasks.all():
            workplan.set_task_done(cast.admin_a, order.number, task.pk, True)
    if paid:  # half paid: the order stays where it is and has a payment to read or cancel
        payments.record_payment(cast.admin_a, order.number, amount=order.amount_due / 2)
    return Order.objects.get(pk=order.pk)


def _invitation_values(cast) -> dict[str, Any]:
    """A fresh open invitation of lab A (a new customer), by id and by its link's token."""
    invitation, token = invite(cast.admin_a, cast.lab_a, f"invited-{Invitation.objects.count()}@example.com")
    sent_an_hour_ago(invitation)
    return {"id": invitation.pk, "invitation_id": invitation.pk, "token": token}


def _values(cast, order: Order | None) -> dict[str, Any]:
    values: dict[str, Any] = {
        "slug": "lab-a",
        "user_id": cast.tech_a.pk,
        "service_id": cast.service_a.pk,
        "customer_a1": cast.customer_a1.pk,
        "today": cast.lab_a.local_date().isoformat(),
        "lab_a_id": cast.lab_a.pk,
        "token_id": _token_of(cast.dentist_a1),
    }
    values.update(_invitation_values(cast))
    for part in MONEY_PARTS + CASE_PARTS:
        values.update(part.values(cast, order))
    if order is not None:
        values["number"] = order.number
        task = order.tasks.order_by("position").first()
        values["task_id"] = task.pk if task else 0
        payment = order.payments.filter(voided_at=None).first()
        values["payment_id"] = payment.pk if payment else 0
        values["action"] = "publish"
        values["version"] = order.version
    return values


def _token_of(user) -> int:
    """One named token of the user, the same on every call."""
    found = ApiToken.objects.filter(user=user, name="matrix").values_list("pk", flat=True).first()
    return found or ApiToken.new(user, name="matrix")[1].pk


def _fill(template: Any, values: dict[str, Any]) -> Any:
    if isinstance(template, dict):
        return {k: _fill(v, values) for k, v in template.items()}
    if isinstance(template, list):
        return [_fill(v, values) for v in template]
    if isinstance(template, str) and template.startswith("{") and template.endswith("}"):
        return values[template[1:-1]]
    if isinstance(template, str):
        return template.format(**values)
    return template


def _page_path(pattern: str, values: dict[str, Any]) -> str:
    for conv in ("str", "int", "slug"):
        pattern = pattern.replace(f"<{conv}:", "{").replace(">", "}")
    return "/" + pattern.format(**values)


def _actor(cast, name: str):
    return None if name == "anon" else getattr(cast, name)


def _call(route: str, row: Row, user, values: dict[str, Any], *, page: bool):
    client = Client()
    path = _page_path(route.split(" ", 1)[1], values) if page else route.split(" ", 1)[1].format(**values)
    if page:
        if user is not None:
            client.force_login(user)
        data = _fill(row.form, values)
        return client.get(path) if row.method == "GET" else client.post(path, data)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(user)}"} if user is not None else {}
    if row.method == "PATCH":
        headers["HTTP_IF_MATCH"] = "*"
    if row.method == "GET":
        return client.get(path, **headers)
    if row.files is not None:  # a multipart upload: its files, and `body` as the other fields
        data = {name: SimpleUploadedFile(*spec) for name, spec in row.files.items()}
        data |= {k: str(v) for k, v in _fill(row.body or {}, values).items()}
        return client.post(path, data, **headers)
    body = json.dumps(_fill(row.body, values)) if row.body is not None else ""
    return getattr(client, row.method.lower())(path, body, content_type="application/json", **headers)


def _check(cast, route: str, row: Row, *, page: bool) -> None:
    if row.expected[0] == "public":
        return
    order = _order(cast, row.status, row.paid) if row.status else None
    mismatches = []
    # Refusals first: they change nothing, so one world serves them all. Each success gets a
    # world of its own, as it changes the order.
    plan = sorted(zip(ACTORS, row.expected, strict=True), key=lambda pair: pair[1] in (200, 201, 204, 302))
    for name, expected in plan:
        if expected in (200, 201, 204, 302) and row.status:
            order = _order(cast, row.status, row.paid)
        values = _values(cast, order)
        response = _call(route, row, _actor(cast, name), values, page=page)
        got: Any = response.status_code
        if expected == LOGIN and got == 302 and "/accounts/login/" in response["Location"]:
            got = LOGIN
        if got != expected:
            mismatches.append(f"{name}: expected {expected}, got {got}")
    assert not mismatches, f"{route}: " + "; ".join(mismatches)


@pytest.mark.parametrize("route", sorted(API))
def test_each_api_route_answers_each_actor_as_decided(cast, route):
    _check(cast, route, API[route], page=False)


@pytest.mark.parametrize("route", sorted(PAGES))
def test_each_page_answers_each_actor_as_decided(cast, route):
    _check(cast, route, PAGES[route], page=True)


def test_refused_page_writes_change_nothing(cast):
    """The two pages that answer a refusal with a message and a redirect really refuse."""
    admin_b = Client()
    admin_b.force_login(cast.admin_b)
    admin_b.post(f"/lab/team/{cast.tech_a.pk}/active/", {"active": "0"})
    cast.tech_a.memberships.get(lab=cast.lab_a).refresh_from_db()
    assert cast.tech_a.memberships.get(lab=cast.lab_a).is_active

    admin_b.post("/lab/switch/", {"lab": str(cast.lab_a.pk)})
    page = admin_b.get("/orders/")
    assert page.context["here"].lab == cast.lab_b
