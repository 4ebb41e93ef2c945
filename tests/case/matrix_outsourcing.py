"""Authorization matrix rows of the case's outsourcing routes (issue 13; see tests/test_authorization_matrix.py).

Actors, in column order: lab A admin, lab A technician, dentist A1, dentist A2, lab B admin,
dentist B, anonymous. `values(cast, order)` returns the path values these rows use
(`order` is the row's order, or None for lab-level rows).

Partner links are the lab admin's: lab A's technician and dentists are refused (403), lab B's
people do not see lab A (404). `{link_id}` is lab A's active link with a third lab ("Matrix
Partner", which has a service of the same name as lab A's); `{link_token}` a fresh invitation of
lab A that lab B's admin accepts for lab B. On an order, the lab's staff follow its hand-offs
(a dentist may not: outsourcing is the lab's business) and only the admin sends.
"""

from __future__ import annotations

from typing import Any

from crownline.catalog.models import Service
from crownline.invitations.models import new_token, token_digest
from crownline.outsourcing.models import LinkStatus, PartnerLink
from crownline.tenancy.models import Lab
from tests.matrix import LOGIN, OTHERS, PAGE_OTHERS, TODAY, VERSION, Row, order_row, page_row  # noqa: F401

ADMIN_ONLY = (403, 403, 403, 404, 404, 401)
ADMIN_PAGE = (403, 403, 403, 200, 403, LOGIN)  # lab B's admin sees lab B's page
ADMIN_OBJECT_PAGE = (403, 403, 403, 404, 403, LOGIN)
SEND = {"partner": "matrix-partner", "lines": [{"line": "{line_id}"}], "note": "Mill it, please"}

API: dict[str, Row] = {
    "GET /api/v1/labs/{slug}/partners": Row("GET", None, (200, *ADMIN_ONLY)),
    "POST /api/v1/labs/{slug}/partners": Row("POST", None, (201, *ADMIN_ONLY), body={"email": "partner@example.com"}),
    "DELETE /api/v1/labs/{slug}/partners/{link_id}": Row("DELETE", None, (204, *ADMIN_ONLY)),
    "GET /api/v1/labs/{slug}/partners/{link_id}/services": Row("GET", None, (200, *ADMIN_ONLY)),
    # Accepting for lab B: only lab B's admin may; lab A's people do not work in lab B (404),
    # lab B's dentist is not its admin (403).
    "POST /api/v1/partner-invitations/{link_token}/accept": Row(
        "POST", None, (404, 404, 404, 404, 200, 403, 401), body={"lab": "lab-b"}
    ),
    "GET /api/v1/orders/{number}/outsourcing": order_row("GET", "published", 200, 200, 403),
    "POST /api/v1/orders/{number}/outsource": order_row("POST", "published", 201, 403, 403, body=SEND),
}

PAGES: dict[str, Row] = {
    "GET lab/partners/": Row("GET", None, (200, *ADMIN_PAGE)),
    "POST lab/partners/": Row("POST", None, (302, 403, 403, 403, 302, 403, LOGIN), form={"email": "p@example.com"}),
    "POST lab/partners/<int:link_id>/end/": Row("POST", None, (302, *ADMIN_OBJECT_PAGE)),
    # Nobody of the cast has an invitation addressed to their e-mail: nothing to accept (404).
    "POST lab/partners/<int:link_id>/accept/": Row("POST", None, (404, 403, 403, 403, 404, 403, LOGIN)),
    # The e-mail's link: a signed-in admin of a lab other than the inviting one accepts.
    "GET partner-invitations/<str:link_token>/": Row("GET", None, (403, 403, 403, 403, 200, 403, LOGIN)),
    "POST partner-invitations/<str:link_token>/": Row(
        "POST", None, (403, 403, 403, 403, 302, 403, LOGIN), form={"lab": "lab-b"}
    ),
    "POST orders/<str:number>/outsource/": page_row(
        "POST", "published", 302, 403, 403, form={**VERSION, "partner": "matrix-partner", "line": "{line_id}"}
    ),
}


def matrix_partner(cast) -> tuple[Lab, PartnerLink]:
    """A third lab linked with lab A (the link active again if a row ended it)."""
    partner, _ = Lab.objects.get_or_create(slug="matrix-partner", defaults={"name": "Matrix Partner"})
    Service.objects.get_or_create(lab=partner, name=cast.service_a.name, defaults={"price": "40.00"})
    link = PartnerLink.objects.filter(lab=cast.lab_a, partner=partner).order_by("-pk").first()
    if link is None or link.status != LinkStatus.ACTIVE:
        link = PartnerLink.objects.create(
            lab=cast.lab_a,
            partner=partner,
            status=LinkStatus.ACTIVE,
            email="matrix@example.com",
            expires_at="2100-01-01T00:00:00Z",
            invited_by=cast.admin_a,
        )
    return partner, link


def values(cast, order) -> dict[str, Any]:
    _, link = matrix_partner(cast)
    raw = new_token()
    PartnerLink.objects.create(
        lab=cast.lab_a,
        email="lab-b@example.com",
        token_hash=token_digest(raw),
        expires_at="2100-01-01T00:00:00Z",
        invited_by=cast.admin_a,
    )
    line = order.lines.order_by("position").first() if order is not None else None
    return {"link_id": link.pk, "link_token": raw, "line_id": line.pk if line else 0}
