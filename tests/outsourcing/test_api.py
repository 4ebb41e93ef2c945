"""The outsourcing API: links, sending, following; bad input is a 422 naming its field."""

from __future__ import annotations

from django.core import mail

from crownline.orders import services
from crownline.orders.models import Order
from crownline.outsourcing.models import PartnerLink


def test_lab_a_admin_invites_and_lab_b_admin_accepts_over_the_api(cast, api):
    created = api(cast.admin_a).post("/labs/lab-a/partners", {"email": "admin-b@example.com"})
    assert created.status_code == 201 and created.json()["status"] == "pending"
    raw = _token_of_last_mail()
    accepted = api(cast.admin_b).post(f"/partner-invitations/{raw}/accept", {"lab": "lab-b"})
    assert accepted.status_code == 200
    assert accepted.json()["partner"] == {"slug": "lab-a", "name": cast.lab_a.name}
    assert accepted.json()["direction"] == "received"
    listed = api(cast.admin_a).get("/labs/lab-a/partners").json()
    assert [(p["status"], p["partner"]["slug"], p["direction"]) for p in listed] == [("active", "lab-b", "sent")]


def test_accepting_for_ones_own_lab_is_a_422_naming_the_lab(cast, api, invited):
    _, raw = invited
    refused = api(cast.admin_a).post(f"/partner-invitations/{raw}/accept", {"lab": "lab-a"})
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "lab"
    assert PartnerLink.objects.get().status == "pending"


def test_a_second_link_is_a_409(cast, api, linked):
    api(cast.admin_b).post("/labs/lab-b/partners", {"email": "admin-a@example.com"})
    raw = _token_of_last_mail()
    assert api(cast.admin_a).post(f"/partner-invitations/{raw}/accept", {"lab": "lab-a"}).status_code == 409


def test_lab_a_admin_sends_and_reads_the_cost_the_technician_reads_no_cost(
    cast, api, order_in, linked, partner_service
):
    order = order_in("published")
    line = order.lines.get()
    sent = api(cast.admin_a).post(
        f"/orders/{order.number}/outsource", {"partner": "lab-b", "lines": [{"line": line.pk}], "note": "Zirconia"}
    )
    assert sent.status_code == 201, sent.json()
    body = sent.json()
    assert body["status"] == "published" and body["cost"] == "60.00" and body["currency"] == "EUR"
    assert sent["ETag"] == f'"{order.number}-{order.version + 1}"'
    as_tech = api(cast.tech_a).get(f"/orders/{order.number}/outsourcing").json()
    assert [(h["partner_order"], h["cost"]) for h in as_tech] == [(body["partner_order"], None)]
    assert api(cast.dentist_a1).get(f"/orders/{order.number}/outsourcing").status_code == 403


def test_the_sender_reads_the_partner_status_as_it_moves(cast, api, order_in, send):
    order = order_in("published")
    theirs = send(order).partner_order
    services.start_production(cast.admin_b, theirs.number, production_date=cast.lab_b.local_date())
    (handoff,) = api(cast.admin_a).get(f"/orders/{order.number}/outsourcing").json()
    assert handoff["status"] == "production"
    events = api(cast.admin_a).get(f"/orders/{order.number}/events").json()
    assert events[-1]["action"] == "partner-status" and events[-1]["actor"] is None
    assert events[-1]["data"] == {"lab": cast.lab_b.name, "order": theirs.number, "status": "production"}
    # The dentist never reads that the case went out.
    seen = [e["action"] for e in api(cast.dentist_a1).get(f"/orders/{order.number}/events").json()]
    assert "outsource" not in seen and "partner-status" not in seen


def test_nobody_crosses_over_to_the_other_labs_order(cast, api, order_in, send, tech_b):
    order = order_in("published")
    theirs = send(order).partner_order
    for person in (cast.admin_b, tech_b):
        assert api(person).get(f"/orders/{order.number}").status_code == 404
        assert api(person).get(f"/orders/{order.number}/outsourcing").status_code == 404
    for person in (cast.admin_a, cast.tech_a, cast.dentist_a1):
        assert api(person).get(f"/orders/{theirs.number}").status_code == 404
        assert api(person).get(f"/orders/{theirs.number}/events").status_code == 404
    assert api(tech_b).get(f"/orders/{theirs.number}").status_code == 200


def test_bad_sends_are_422s_naming_the_field_and_change_nothing(cast, api, order_in, linked, partner_service):
    order = order_in("published")
    line = order.lines.get()
    bodies = {
        "partner": {"partner": "no-such-lab", "lines": [{"line": line.pk}]},
        "lines[0].line": {"partner": "lab-b", "lines": [{"line": 2**40}]},
        "lines[0].service": {"partner": "lab-b", "lines": [{"line": line.pk, "service": cast.service_a.pk}]},
        "lines": {"partner": "lab-b", "lines": []},
        "note": {"partner": "lab-b", "lines": [{"line": line.pk}], "note": "x" * 4001},
    }
    for field, body in bodies.items():
        refused = api(cast.admin_a).post(f"/orders/{order.number}/outsource", body)
        assert refused.status_code == 422, (field, refused.json())
        assert field in refused.json()["detail"], (field, refused.json())
    huge = api(cast.admin_a).post(
        f"/orders/{order.number}/outsource", {"partner": "lab-b", "lines": [{"line": 10**30}]}
    )
    assert huge.status_code == 422
    assert Order.objects.get(pk=order.pk).version == order.version
    assert not Order.objects.filter(outsourced_from=order).exists()


def test_a_stale_if_match_is_412_and_sends_nothing(cast, api, order_in, linked, partner_service):
    order = order_in("published")
    stale = api(cast.admin_a).post(
        f"/orders/{order.number}/outsource",
        {"partner": "lab-b", "lines": [{"line": order.lines.get().pk}]},
        HTTP_IF_MATCH=f'"{order.number}-{order.version - 1}"',
    )
    assert stale.status_code == 412
    assert not Order.objects.filter(outsourced_from=order).exists()


def test_the_partner_services_to_map_to(cast, api, linked, partner_service):
    listed = api(cast.admin_a).get(f"/labs/lab-a/partners/{linked.pk}/services").json()
    assert sorted(s["name"] for s in listed) == sorted([partner_service.name, cast.service_b.name])
    assert "price" not in listed[0]
    assert api(cast.tech_a).get(f"/labs/lab-a/partners/{linked.pk}/services").status_code == 403


def _token_of_last_mail() -> str:
    return mail.outbox[-1].body.split("/partner-invitations/")[1].split("/")[0]
