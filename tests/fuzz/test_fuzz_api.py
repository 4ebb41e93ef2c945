"""Schemathesis over every operation of the API, in-process, against real data.

Each operation is one test: it builds the world (two labs, orders in every status),
then lets schemathesis generate requests (schema examples, boundary values, then random
valid and invalid data) with a fixed seed. Path parameters that are not themselves the
invalid part of a request are replaced with real identifiers, and the caller is taken in
turn from lab A's admin, technician and dentist, so requests reach the code behind the 404.
Budget: the coverage phase plus MAX_EXAMPLES random cases per operation, about a minute
for the whole file on two cores; scripts/fuzz-live.sh runs longer.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig
from schemathesis.core.parameters import ParameterLocation

from crownline.wsgi import application
from tests.fuzz.world import ACTORS, World, build_world

CHECKS = (
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_schema_conformance",
    "negative_data_rejection",
    "ignored_auth",
)
SEED = 20261126
MAX_EXAMPLES = 8

CONFIG = SchemathesisConfig.from_dict(
    {
        "seed": SEED,
        # No example database: a run depends on the seed alone, the same on every machine.
        "generation": {"max-examples": MAX_EXAMPLES, "mode": "all", "database": "none"},
        "phases": {"examples": {"enabled": True}, "coverage": {"enabled": True}, "fuzzing": {"enabled": True},
                   "stateful": {"enabled": False}},
        "checks": {"enabled": False, **{name: {"enabled": True} for name in CHECKS}},
    }
)
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application, config=CONFIG)


@pytest.fixture
def world(cast) -> World:
    return build_world(cast)


@pytest.fixture(autouse=True)
def _keep_test_connection():
    """Requests go through the real WSGI handler, which closes the connection after each
    one; the test's transaction lives on that connection (Django's test Client does the same)."""
    for signal in (signals.request_started, signals.request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (signals.request_started, signals.request_finished):
        signal.connect(close_old_connections)


def aim(case, world: World, pick: int, fresh_etag: bool) -> None:
    """Put real identifiers into the path, unless the path is the invalid part of the request."""
    if not case.path_parameters or (case.meta is not None and case.meta.is_negative_at(ParameterLocation.PATH)):
        return
    params = case.path_parameters
    order = world.orders[pick % len(world.orders)]
    if "number" in params:
        invoice_path = case.operation.path.startswith("/api/v1/invoices/")
        params["number"] = world.invoice_numbers[pick % 2] if invoice_path else order.number
    if "slug" in params:
        params["slug"] = world.cast.lab_a.slug
    if "task_id" in params and (ids := world.task_ids(order)):
        params["task_id"] = ids[pick % len(ids)]
    if "file_id" in params and (ids := world.file_ids(order)):
        params["file_id"] = ids[pick % len(ids)]
    if "payment_id" in params and (ids := world.payment_ids(order)):
        params["payment_id"] = ids[pick % len(ids)]
    if "service_id" in params:
        params["service_id"] = world.cast.service_a.pk
    if "user_id" in params:
        params["user_id"] = (world.cast.tech_a.pk, world.cast.dentist_a1.pk)[pick % 2]
    if "id" in params:
        params["id"] = world.invitation_id
    if "customer_id" in params:
        params["customer_id"] = (world.cast.customer_a1.pk, world.cast.customer_a2.pk)[pick % 2]
    if "advance_id" in params:
        params["advance_id"] = world.advance_id
    if "pricebook_id" in params:
        params["pricebook_id"] = world.pricebook_id
    if "month" in params:
        params["month"] = world.month
    if "link_id" in params:
        params["link_id"] = world.partner_link_id
    if "token" in params:
        params["token"] = world.invitation_token
    negative_headers = case.meta is not None and case.meta.is_negative_at(ParameterLocation.HEADER)
    takes_etag = any(p.name == "If-Match" for p in case.operation.headers)
    if fresh_etag and takes_etag and "number" in params and not negative_headers:
        case.headers = {**(case.headers or {}), "If-Match": f'"{world.etag(order.number)}"'}


@pytest.fixture
def turns() -> Iterator[int]:
    """Counts the requests of one operation; the count picks the caller and the target, so a
    run is repeatable and every operation is called by every actor on several orders."""
    return itertools.count()


@schema.parametrize()
@settings(deadline=None, suppress_health_check=list(HealthCheck), print_blob=True)
def test_every_operation(case, world, turns):
    turn = next(turns)
    actor = ACTORS[turn % len(ACTORS)]
    aim(case, world, pick=turn * 7 + turn // len(ACTORS), fresh_etag=turn % 4 != 3)
    negative_headers = case.meta is not None and case.meta.is_negative_at(ParameterLocation.HEADER)
    if case.headers and "Idempotency-Key" in case.headers and not negative_headers:
        # Generated keys repeat ("0", "00"): a reused key replays or refuses (422) instead of acting.
        case.headers["Idempotency-Key"] = f"fuzz-{turn}"
    case.call_and_validate(headers={"Authorization": f"Bearer {world.tokens[actor]}"})
