"""Object-level authorization: one lab's, one dentist's objects are nobody else's.

Two layers. Schemathesis's own `object_level_authorization` check needs the engine that
the CLI runs (its resource pool remembers which identity read which object; under pytest
the check has nothing to compare), so the first test runs that engine in-process against
pytest-django's live server thread, with lab A's admin, lab B's admin and dentist A2 as
WFC peers: whatever one of them reads, the others ask for too. The second test is the explicit guarantee: every
operation with an identifier in its path, called by lab B's admin, by lab B's dentist and
by dentist A2 with lab A's (and dentist A1's) real identifiers, answers 404 and changes nothing.
"""

from __future__ import annotations

import datetime as dt
import json
import re

import schemathesis
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from schemathesis.config import SchemathesisConfig
from schemathesis.engine import events

from crownline.api import api as ninja_api
from crownline.schedule.models import ScheduleException
from crownline.tenancy.models import ApiToken
from tests.case.matrix_schedule import WEEK
from tests.fuzz.world import FUZZ_PNG, build_world

INPUT_REFUSED = {400, 415, 422}
PEERS = {"admin-a": "admin_a", "admin-b": "admin_b", "dentist-a2": "dentist_a2"}
ENGINE_CHECKS = ("not_a_server_error", "status_code_conformance", "response_schema_conformance",
                 "object_level_authorization")


def test_no_peer_reads_an_object_another_peer_owns(live_server, cast, tmp_path):
    """Over HTTP to pytest-django's in-process live server (committed data, a server thread):
    schemathesis 4.32's peer probes pass `max_redirects` to its WSGI transport, which refuses it."""
    world = build_world(cast)
    wfc = tmp_path / "peers.json"
    wfc.write_text(json.dumps({"auth": [
        {"name": name, "fixedHeaders": [{"name": "Authorization", "value": f"Bearer {world.tokens[actor]}"}]}
        for name, actor in PEERS.items()
    ]}))
    config = SchemathesisConfig.from_dict({
        "seed": 20261126,
        "workers": 1,
        # One request per TCP connection: the server thread then closes its database connection
        # (persistent on PostgreSQL) instead of keeping it past the test database's teardown.
        "headers": {"Connection": "close"},
        "auth": {"wfc": {"path": str(wfc), "peers": list(PEERS)}},
        "generation": {"max-examples": 5},
        "phases": {"examples": {"enabled": False}, "coverage": {"enabled": False}, "fuzzing": {"enabled": True},
                   "stateful": {"enabled": True, "max-steps": 6}},
        "checks": {"enabled": False, **{name: {"enabled": True} for name in ENGINE_CHECKS}},
    })
    schema = schemathesis.openapi.from_url(f"{live_server.url}/api/v1/openapi.json", config=config)
    # Signing out and revoking tokens would end the peers' own tokens mid-run (every later probe a 401);
    # a person's tokens are theirs alone: the second test below and tests/tenancy/test_tokens.py.
    schema = schema.exclude(path_regex="/auth/(sign-out|tokens/)")
    # A customer's balance and statements have two rightful readers, the lab's admin and that
    # customer (dentist A2 for their own record): the engine would call A2 reading their own
    # balance after admin A read it a leak. The explicit test below and the matrix cover them.
    schema = schema.exclude(path_regex="/customers/[{]customer_id[}]/(balance|statements)")
    lab_a_values = {cast.lab_a.slug, *(order.number for order in world.orders)}
    a2_numbers = {order.number for order in world.orders if order.customer_id == cast.customer_a2.pk}
    failures, errors, probes = [], [], []
    for event in schemathesis.engine.from_schema(schema).execute():
        if isinstance(event, events.NonFatalError):
            errors.append(f"{event.label}: {event.value!r}")
        if isinstance(event, events.FatalError):
            errors.append(repr(event.exception))
        if isinstance(event, events.ScenarioFinished | events.FuzzScenarioFinished):
            recorder = event.recorder
            failures += [(check.name, check.failure_info) for checks in recorder.checks.values() for check in checks
                         if check.failure_info is not None]
            # The check's probes: another peer asking for a path with lab A's identifiers in it.
            for case_id, node in recorder.cases.items():
                case, interaction = node.value, recorder.interactions.get(case_id)
                aimed = set(map(str, (case.path_parameters or {}).values())) & lab_a_values
                if case.auth_identity in ("admin-b", "dentist-a2") and interaction is not None and aimed:
                    status = interaction.response.status_code
                    # Dentist A2 works with lab A: a lab-level route of the lab admin (its customers,
                    # its pricebooks) refuses them for their role (403), as the matrix decides.
                    if case.auth_identity == "dentist-a2" and aimed == {cast.lab_a.slug} and status == 403:
                        continue
                    # Dentist A2's own order (the world has one): A2 is its rightful reader.
                    if case.auth_identity == "dentist-a2" and aimed & a2_numbers:
                        continue
                    probes.append((case.auth_identity, case.formatted_path, status))
    assert not errors
    assert not failures
    assert probes, "no peer was ever sent for another peer's object: the check ran on nothing"
    # A probe whose own input is refused (a JSON `null` body: 400; an invalid field or a reused
    # Idempotency-Key: 422) is answered before any order or lab is looked up, the same for every
    # caller and every object: it tells nothing. Every other probe is a 404.
    statuses = {status for _, _, status in probes}
    assert 404 in statuses and statuses <= {404, *INPUT_REFUSED}, [p for p in probes if p[2] != 404]


# A body each write accepts, so the request gets past validation to the access check.
VALID_BODIES = {
    "PATCH /labs/{slug}/settings": {"name": "Taken over"},
    "POST /labs/{slug}/invitations": {"email": "intruder@example.com", "role": "technician"},
    "PATCH /labs/{slug}/members/{user_id}": {"is_active": False},
    "POST /labs/{slug}/services": {"name": "Stolen", "price": "1.00"},
    "PATCH /labs/{slug}/services/{service_id}": {"price": "0.01"},
    "POST /labs/{slug}/clinics": {"name": "Clinic"},
    "POST /labs/{slug}/customers": {"name": "Dr. Nobody"},
    "POST /labs/{slug}/patients": {"name": "Nobody"},
    "PATCH /orders/{number}": {"notes": "changed"},
    "POST /orders/{number}/actions/takedown": {"reason": "x"},
    "POST /orders/{number}/actions/start-production": {"production_date": "2026-01-01"},
    "POST /orders/{number}/actions/ship": {"tracking_number": "1Z999AA10123456784"},
    "POST /orders/{number}/actions/update-tracking": {"tracking_number": "1Z999AA10123456784"},
    "POST /orders/{number}/actions/deliver": {},
    "POST /orders/{number}/actions/cancel": {"reason": "x"},
    "POST /orders/{number}/payments": {"amount": "1.00"},
    "POST /orders/{number}/payments/{payment_id}/cancel": {"reason": "x"},
    "POST /orders/{number}/comments": {"body": "hello"},
    "POST /orders/{number}/tasks": {"name": "Polish"},
    "PATCH /orders/{number}/tasks/{task_id}": {"name": "Renamed"},
    "POST /orders/{number}/discount": {"kind": "percent", "value": "10"},
    "PATCH /labs/{slug}/customers/{customer_id}": {"payment_terms_days": 1},
    "POST /labs/{slug}/customers/{customer_id}/balance/advances": {"amount": "10"},
    "POST /labs/{slug}/customers/{customer_id}/balance/advances/{advance_id}/cancel": {"reason": "x"},
    "PATCH /labs/{slug}/pricebooks/{pricebook_id}": {"name": "Taken"},
    "POST /labs/{slug}/pricebooks": {"name": "Taken"},
    "POST /labs/{slug}/exchange-rates": {"currency": "USD", "rate": "1.1", "valid_on": "2026-01-01"},
    "POST /labs/{slug}/invoices": {"last_month": True},
    "POST /labs/{slug}/pending/mark-paid": {"orders": ["0123456789"]},
    "POST /invoices/{number}/credit-notes": {"reason": "x"},
    "POST /labs/{slug}/partners": {"email": "partner@example.com"},
    "POST /orders/{number}/outsource": {"partner": "matrix-partner", "lines": [{"line": 1}]},
    "POST /orders/{number}/copy": {},
    "POST /orders/{number}/hold": {"reason": "Waiting"},
    "POST /orders/{number}/fitting": {"note": "Try-in"},
    "POST /orders/{number}/fitting/return": {},
    "PUT /labs/{slug}/schedule": {"week": WEEK},
    "POST /labs/{slug}/schedule/exceptions": {"date": "2027-01-01", "reason": "New Year"},
    "POST /orders/{number}/remakes": {"reason": "fit", "payer": "customer"},
    "POST /orders/{number}/change-customer": {"customer": 1},
}


def operations_with_ids() -> list[tuple[str, str]]:
    """(method, path) of every operation of the schema with an identifier in its path."""
    paths = ninja_api.get_openapi_schema()["paths"]
    return [
        (method.upper(), path.removeprefix("/api/v1"))
        for path, methods in paths.items()
        for method in methods
        if "{" in path
    ]


# Rows a refused request may write: who called (tokens, idempotency keys) and the audit trail of the attempt.
NOT_STATE = {"tenancy.ApiToken", "idempotency.IdempotencyRecord", "audit.AuditEntry"}


def db_state() -> dict[str, list[dict]]:
    """Every row of the app's data, and the users."""
    models = [m for m in apps.get_models() if m.__module__.startswith("crownline.") and m._meta.label not in NOT_STATE]
    return {m._meta.label: list(m.objects.order_by("pk").values()) for m in (*models, get_user_model())}


def test_every_operation_refuses_other_tenants_objects_with_404(cast, api):
    """Lab B's admin and dentist, and dentist A2, get 404 for lab A's and dentist A1's objects."""
    world = build_world(cast)
    order = next(o for o in world.orders if o.status == "published" and world.payment_ids(o))
    lab_a_ids = {
        "slug": cast.lab_a.slug, "number": order.number, "task_id": world.task_ids(order)[0],
        "payment_id": world.payment_ids(order)[0], "service_id": cast.service_a.pk, "user_id": cast.tech_a.pk,
        "id": world.invitation_id, "token_id": ApiToken.new(cast.dentist_a1, name="A1's script")[1].pk,
        "customer_id": cast.customer_a1.pk, "advance_id": world.advance_id, "pricebook_id": world.pricebook_id,
        "month": world.month, "file_id": world.file_ids(order)[0], "link_id": world.partner_link_id,
        "exception_id": ScheduleException.objects.create(lab=cast.lab_a, date=dt.date(2027, 1, 1), reason="x").pk,
    }
    # Lab B's own lab and order around lab A's ids: the id must be checked against its parent.
    mixed = {**lab_a_ids, "slug": cast.lab_b.slug, "number": world.order_b.number}
    calls = []
    for method, template in operations_with_ids():
        if template.startswith(("/invitations/{token}", "/partner-invitations/{link_token}")):
            continue  # the link's token is the credential: whoever holds it may accept (tests/invitations)
        names = set(re.findall(r"{(\w+)}", template))
        assert names <= set(lab_a_ids), f"{method} {template}: teach this test a real value for {names}"
        calls += [(intruder, method, template, lab_a_ids) for intruder in ("admin_b", "dentist_b")]
        if "number" in names:  # dentist A2 works with lab A, but A1's order is not theirs
            calls.append(("dentist_a2", method, template, lab_a_ids))
        if names - {"slug", "number"}:
            calls.append(("admin_b", method, template, mixed))
    before = db_state()
    for intruder, method, template, ids in calls:
        if template.startswith("/invoices/"):  # an invoice's number, not an order's
            ids = {**ids, "number": world.invoice_numbers[0]}
        path = template.format(**{name: ids[name] for name in re.findall(r"{(\w+)}", template)})
        client = api(getattr(cast, intruder))
        body = VALID_BODIES.get(f"{method} {template}")
        if (method, template) == ("POST", "/orders/{number}/files"):  # a multipart upload, a real file
            upload = {"file": SimpleUploadedFile("smile.png", FUZZ_PNG)}
            response = client.client.post(f"/api/v1{path}", upload, **client.headers)
        elif method == "GET":
            response = client.get(path)
        elif method == "DELETE":
            response = client.delete(path)
        else:
            response = getattr(client, method.lower())(path, body)
        assert response.status_code == 404, f"{intruder}: {method} {path} -> {response.status_code}"
        assert response.json()["detail"]
    assert db_state() == before
    assert ApiToken.objects.get(pk=lab_a_ids["token_id"]).revoked_at is None
    assert len(calls) > 100
