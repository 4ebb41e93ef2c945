"""The authorization matrix's partner-lab actors: lab B is lab A's partner and holds an order
lab A sent it, yet lab B's admin and technician reach none of lab A's order routes (404,
never 2xx); and the outsourcing routes as the partner lab's people."""

from __future__ import annotations

import pytest

from crownline.outsourcing import links, sending
from tests import test_authorization_matrix as matrix
from tests.case import matrix_outsourcing
from tests.factories import MembershipFactory, ServiceFactory

ORDER_ROUTES = sorted(route for route, row in matrix.API.items() if row.status is not None)


@pytest.fixture
def partners(cast):
    """Lab A and lab B linked, lab B with lab A's service, and lab B's technician."""
    cast.admin_b.email = "admin-b@example.com"
    cast.admin_b.save(update_fields=["email"])
    _, raw = links.invite_partner(cast.admin_a, "lab-a", email="admin-b@example.com")
    links.accept(cast.admin_b, raw, "lab-b")
    ServiceFactory(lab=cast.lab_b, name=cast.service_a.name)
    return {"admin_b": cast.admin_b, "tech_b": MembershipFactory(lab=cast.lab_b, role="technician").user}


def _sent(cast, order):
    """The order sent to lab B where its status allows it: lab B then holds an order of its own."""
    if order.status in ("published", "production"):
        choices = [sending.LineChoice(line.pk) for line in order.lines.all()]
        return sending.send_order(cast.admin_a, order.number, partner="lab-b", lines=choices).partner_order
    return None


@pytest.mark.parametrize("route", ORDER_ROUTES)
def test_the_partner_labs_people_reach_none_of_the_senders_order_routes(cast, partners, route):
    row = matrix.API[route]
    order = matrix._order(cast, row.status, row.paid)
    _sent(cast, order)
    values = matrix._values(cast, order)
    got = {name: matrix._call(route, row, person, values, page=False).status_code for name, person in partners.items()}
    assert got == {"admin_b": 404, "tech_b": 404}, route


# The outsourcing routes as the partner lab's admin and technician (lab B, linked with lab A,
# holding the order lab A sent): lab A's links and order are not theirs to see (404).
PARTNER_EXPECTED = {
    "GET /api/v1/labs/{slug}/partners": (404, 404),
    "POST /api/v1/labs/{slug}/partners": (404, 404),
    "DELETE /api/v1/labs/{slug}/partners/{link_id}": (404, 404),
    "GET /api/v1/labs/{slug}/partners/{link_id}/services": (404, 404),
    # Lab B's admin accepts lab A's fresh invitation for lab B: they are partners already (409);
    # lab B's technician is not its admin (403).
    "POST /api/v1/partner-invitations/{link_token}/accept": (409, 403),
    "GET /api/v1/orders/{number}/outsourcing": (404, 404),
    "POST /api/v1/orders/{number}/outsource": (404, 404),
}


def test_every_outsourcing_route_has_a_partner_row():
    assert set(PARTNER_EXPECTED) == set(matrix_outsourcing.API)


@pytest.mark.parametrize("route", sorted(PARTNER_EXPECTED))
def test_the_outsourcing_routes_answer_the_partner_labs_people(cast, partners, route):
    row = matrix_outsourcing.API[route]
    order = matrix._order(cast, row.status, row.paid) if row.status else None
    if order is not None:
        _sent(cast, order)
    values = matrix._values(cast, order)
    got = tuple(matrix._call(route, row, person, values, page=False).status_code for person in partners.values())
    assert got == PARTNER_EXPECTED[route]


def test_the_partner_lab_reads_its_own_received_order_and_its_hand_offs_are_none(cast, partners, api, order_in):
    theirs = _sent(cast, order_in("published"))
    for person in partners.values():
        assert api(person).get(f"/orders/{theirs.number}").status_code == 200
        assert api(person).get(f"/orders/{theirs.number}/outsourcing").json() == []
