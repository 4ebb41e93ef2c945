"""Schemathesis over the balance, pending and statement operations, aimed at real customers.

The whole-API fuzz (tests/fuzz/test_fuzz_api.py) fills order numbers and lab slugs; these
operations also name a customer, an advance and a month, so here they get real ones (dentist
A1's and A2's records, a live advance, this month), and the requests reach the code behind
the 404. The same checks, seed and budget as the whole-API run; no answer may be a 500.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.core.parameters import ParameterLocation

from crownline.billing import balances
from crownline.wsgi import application
from tests.fuzz.test_fuzz_api import CONFIG, _keep_test_connection, aim, turns, world  # noqa: F401 (fixtures)
from tests.fuzz.world import ACTORS, World

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application, config=CONFIG).include(
    path_regex=r"/customers/\{customer_id\}/(balance|statements)|/pending"
)


@pytest.fixture
def advances(world: World) -> list[int]:  # noqa: F811 (the imported fixture)
    cast = world.cast
    return [
        balances.add_advance(cast.admin_a, "lab-a", customer.pk, amount=Decimal("300")).pk
        for customer in (cast.customer_a1, cast.customer_a2)
    ]


@schema.parametrize()
@settings(deadline=None, suppress_health_check=list(HealthCheck), print_blob=True)
def test_balance_operations(case, world, turns, advances):  # noqa: F811 (fixtures imported above)
    turn = next(turns)
    actor = ACTORS[turn % len(ACTORS)]
    aim(case, world, pick=turn * 7 + turn // len(ACTORS), fresh_etag=True)
    if case.path_parameters and not (case.meta is not None and case.meta.is_negative_at(ParameterLocation.PATH)):
        params = case.path_parameters
        cast = world.cast
        if "customer_id" in params:
            params["customer_id"] = (cast.customer_a1.pk, cast.customer_a2.pk)[turn % 2]
        if "advance_id" in params:
            params["advance_id"] = advances[turn % 2]
        if "month" in params:
            params["month"] = f"{cast.lab_a.local_date():%Y-%m}"
    if case.headers and "Idempotency-Key" in case.headers:
        case.headers["Idempotency-Key"] = f"fuzz-balances-{turn}"
    case.call_and_validate(headers={"Authorization": f"Bearer {world.tokens[actor]}"})
