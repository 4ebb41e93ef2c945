"""Odd numbers never reach the database: ids past 64 bits and Unicode digits get 404 or 422.

`str.isdigit()` is true for "²" (which `int()` refuses) and for "٣" (which `int()` reads as
3), and SQLite raises OverflowError for an integer past 64 bits. Every integer in a path, a
query filter, a JSON body and the page forms is tried here with such values; the API's
parameters are discovered from its OpenAPI schema, so a new one is covered without a new row.
"""

from __future__ import annotations

import pytest
from django.test import Client

from crownline.api import api as ninja_api
from crownline.numbers import parse_id
from crownline.tenancy.models import ApiToken
from crownline.workplan.models import Task
from tests.factories import LabFactory, MembershipFactory, make_order

ODD = ["18446744073709551616", "9223372036854775808", "-1", "0", "²", "٣", "1" * 40]
# Counts, not ids: zero is a fine value for them (the first row of a list).
COUNTS = {"offset"}


def _integer_parameters() -> list[tuple[str, str, str, str]]:
    found = []
    for path, methods in ninja_api.get_openapi_schema()["paths"].items():
        for method, operation in methods.items():
            for param in operation.get("parameters", []):
                integer = param["name"] == "number" or "integer" in str(param["schema"])
                if param["in"] in ("path", "query") and integer:
                    found.append((method.upper(), path, param["in"], param["name"]))
    return found


PARAMETERS = _integer_parameters()


def test_the_schema_has_integer_parameters_to_try():
    names = {name for *_, name in PARAMETERS}
    assert {"number", "service_id", "payment_id", "task_id", "user_id", "customer", "assignee"} <= names


@pytest.fixture
def world(cast):
    order = make_order(cast.admin_a, cast.customer_a1, status="published", service=cast.service_a, paid=True)
    client = Client(raise_request_exception=False)
    token = ApiToken.issue(cast.admin_a)
    return order, client, {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def _url(path: str, order, *, name: str, where: str, value: str) -> str:
    task = Task.objects.filter(order=order).first()
    real = {"slug": "lab-a", "number": order.number, "task_id": task.pk, "payment_id": order.payments.first().pk,
            "service_id": order.lines.first().service_id, "user_id": order.created_by_id, "token_id": 1}
    for key, known in real.items():
        path = path.replace("{" + key + "}", value if (key == name and where == "path") else str(known))
    return path


@pytest.mark.parametrize(("method", "path", "where", "name"), PARAMETERS, ids=lambda v: str(v))
def test_an_odd_integer_parameter_gets_404_or_422(world, method, path, where, name):
    order, client, auth = world
    for value in ODD:
        if name in COUNTS and value == "0":
            continue
        url = _url(path, order, name=name, where=where, value=value)
        query = {name: value} if where == "query" else {}
        if method == "GET":
            response = client.get(url, query, **auth)
        else:
            url += "?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else ""
            response = client.generic(method, url, "{}", content_type="application/json", HTTP_IF_MATCH="*", **auth)
        assert response.status_code in (404, 422), (value, response.status_code, response.content[:300])


BODIES = {
    "order customer": ("post", "/orders", lambda ids, v: {"customer": v}),
    "order patient": ("post", "/orders", lambda ids, v: {"customer": ids["customer"], "patient": v}),
    "line service": ("post", "/orders", lambda ids, v: {"customer": ids["customer"], "lines": [{"service": v}]}),
    "kept line id": ("patch", "/orders/{n}", lambda ids, v: {"lines": [{"service": ids["service"], "id": v}]}),
    "task assignee": ("post", "/orders/{n}/tasks", lambda ids, v: {"name": "Polish", "assignee": v}),
    "patient's customer": ("post", "/labs/lab-a/patients", lambda ids, v: {"name": "Ann", "customer": v}),
    "customer's clinic": ("post", "/labs/lab-a/customers", lambda ids, v: {"name": "Dr. Who", "clinic": v}),
}


@pytest.mark.parametrize("field", BODIES)
@pytest.mark.parametrize("value", [2**64, 2**63, 10**40, -1, 0, "²", "٣"])
def test_an_odd_id_in_a_json_body_gets_422_and_changes_nothing(cast, api, world, field, value):
    order, *_ = world
    method, path, body = BODIES[field]
    ids = {"customer": cast.customer_a1.pk, "service": cast.service_a.pk}
    client = api(cast.admin_a)
    client.client.raise_request_exception = False
    orders_before = order.__class__.objects.count()

    response = getattr(client, method)(path.replace("{n}", order.number), body(ids, value), HTTP_IF_MATCH="*")

    assert response.status_code in (404, 422), response.content
    assert order.__class__.objects.count() == orders_before


ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


@pytest.mark.parametrize("value", ["²", "arabic-indic", "18446744073709551616", "1" * 40, "-1", ""])
def test_the_lab_switcher_refuses_an_odd_lab_id(cast, value):
    # The admin works in a third lab too; its id in Arabic-Indic digits is read by int() as
    # that lab's id, but it is not an id as a form sends it.
    third = LabFactory()
    MembershipFactory(lab=third, user=cast.admin_a, role="lab_admin")
    if value == "arabic-indic":
        value = str(third.pk).translate(ARABIC_INDIC)
    page = Client(raise_request_exception=False)
    page.force_login(cast.admin_a)

    response = page.post("/lab/switch/", {"lab": value}, follow=True)

    assert response.status_code == 200
    assert "You do not work with that lab." in response.content.decode()


@pytest.mark.parametrize("raw", ["²", "٣", "18446744073709551616", "0", " 7"])
def test_parse_id_reads_ascii_digits_in_range_only(raw):
    assert parse_id(raw) is None
    assert parse_id("42") == 42


@pytest.mark.parametrize("path", ["/lab/team/18446744073709551616/active/", "/lab/team/99999999999999999999/active/"])
def test_team_activation_of_an_odd_member_id_is_a_refusal(cast, path):
    page = Client(raise_request_exception=False)
    page.force_login(cast.admin_a)

    response = page.post(path, {"active": "0"})

    assert response.status_code in (302, 404)
    assert cast.admin_a.memberships.filter(is_active=True).exists()


@pytest.mark.parametrize("version", ["²", "٣", "99999999999999999999999"])
def test_an_odd_version_in_if_match_is_a_412(cast, api, world, version):
    order, *_ = world

    response = api(cast.admin_a).post(
        f"/orders/{order.number}/actions/start-production",
        {"production_date": order.lab.local_date().isoformat()}, HTTP_IF_MATCH=f'"{order.number}-{version}"',
    )

    assert response.status_code == 412, response.content


@pytest.mark.parametrize("teeth", ["²", "1²", "٣١"])
def test_odd_digits_in_the_teeth_field_of_the_order_form_are_a_form_error(cast, teeth):
    page = Client(raise_request_exception=False)
    page.force_login(cast.dentist_a1)
    form = {"patient_name": "Ann", "lines-TOTAL_FORMS": "1", "lines-INITIAL_FORMS": "0",
            "lines-0-service": cast.service_a.pk, "lines-0-quantity": "1", "lines-0-teeth": teeth}

    response = page.post("/orders/new/", form)

    assert response.status_code == 422
    assert "write teeth as FDI numbers" in response.content.decode()


@pytest.mark.parametrize("rows", ["²", "1" * 40])
def test_an_odd_row_count_with_add_line_is_not_a_server_error(cast, rows):
    page = Client(raise_request_exception=False)
    page.force_login(cast.dentist_a1)

    response = page.post("/orders/new/", {"add_line": "1", "lines-TOTAL_FORMS": rows, "lines-INITIAL_FORMS": "0"})

    assert response.status_code < 500
