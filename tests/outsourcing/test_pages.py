"""The pages: Partners (list, invite, accept, end), the e-mail link's page, the order page's
card and Send dialog; the sender's page never shows the partner's internal data."""

from __future__ import annotations

from django.core import mail
from django.test import Client

from crownline.orders import comments, services
from crownline.orders.models import Order
from crownline.outsourcing.models import PartnerLink
from crownline.workplan import services as workplan


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_lab_a_admin_invites_from_the_partners_page_and_lab_b_admin_accepts_from_the_e_mail(cast):
    page = _client(cast.admin_a).post("/lab/partners/", {"email": "admin-b@example.com"})
    assert page.status_code == 302
    link = mail.outbox[-1].body.split("/partner-invitations/")[1].split("/")[0]
    opened = _client(cast.admin_b).get(f"/partner-invitations/{link}/")
    assert opened.status_code == 200 and cast.lab_a.name in opened.content.decode()
    assert _client(cast.admin_b).post(f"/partner-invitations/{link}/", {"lab": "lab-b"}).status_code == 302
    listed = _client(cast.admin_a).get("/lab/partners/").content.decode()
    assert cast.lab_b.name in listed and "Linked" in listed


def test_a_bad_address_re_renders_with_the_message(cast):
    page = _client(cast.admin_a).post("/lab/partners/", {"email": "nope"})
    assert page.status_code == 422 and "valid e-mail" in page.content.decode()
    assert not PartnerLink.objects.exists()


def test_an_invitation_to_the_admins_address_is_accepted_on_the_partners_page(cast, invited):
    link, _ = invited
    page = _client(cast.admin_b).get("/lab/partners/").content.decode()
    assert "Invitations to you" in page and cast.lab_a.name in page
    assert _client(cast.admin_b).post(f"/lab/partners/{link.pk}/accept/").status_code == 302
    assert PartnerLink.objects.get().status == "active"


def test_ending_a_link_from_the_page(cast, linked):
    assert _client(cast.admin_b).post(f"/lab/partners/{linked.pk}/end/").status_code == 302
    assert PartnerLink.objects.get().status == "ended"


def test_the_send_dialog_sends_and_the_card_shows_the_partner_order(cast, order_in, linked, partner_service):
    order = order_in("published")
    admin = _client(cast.admin_a)
    page = admin.get(f"/orders/{order.number}/").content.decode()
    assert "Send to partner lab" in page and 'id="dlg-outsource"' in page
    line = order.lines.get()
    sent = admin.post(
        f"/orders/{order.number}/outsource/",
        {"version": order.version, "partner": "lab-b", "line": str(line.pk), "note": "Rush"},
    )
    assert sent.status_code == 302
    theirs = Order.objects.get(outsourced_from=order)
    page = admin.get(f"/orders/{order.number}/").content.decode()
    assert f"#{theirs.number}" in page and 'class="partner-cost"' in page and "60.00" in page
    tech_page = _client(cast.tech_a).get(f"/orders/{order.number}/").content.decode()
    assert f"#{theirs.number}" in tech_page and "partner-cost" not in tech_page
    assert "Send to partner lab" not in tech_page
    dentist_page = _client(cast.dentist_a1).get(f"/orders/{order.number}/").content.decode()
    assert theirs.number not in dentist_page and "Partner labs" not in dentist_page


def test_a_refused_send_shows_the_order_again_with_the_message(cast, order_in, linked):
    order = order_in("published")
    line = order.lines.get()
    page = _client(cast.admin_a).post(
        f"/orders/{order.number}/outsource/", {"version": order.version, "partner": "lab-b", "line": str(line.pk)}
    )
    assert page.status_code == 422 and "no active service named" in page.content.decode()
    assert not Order.objects.filter(outsourced_from=order).exists()


def test_the_senders_page_shows_none_of_the_partners_internal_data(cast, order_in, send):
    order = order_in("published")
    theirs = send(order).partner_order
    workplan.plan_automatically(cast.admin_b, theirs.number)
    comments.add_comment(cast.admin_b, theirs.number, body="Internal: the milling machine is down", internal=True)

    services.start_production(cast.admin_b, theirs.number, production_date=cast.lab_b.local_date())
    page = _client(cast.admin_a).get(f"/orders/{order.number}/").content.decode()
    assert "Production" in page
    assert "milling machine" not in page and "Mill" not in page.split("History")[0].split("Partner labs")[1]
    assert cast.admin_b.username not in page
    api_view = _client(cast.admin_a).get(f"/orders/{theirs.number}/")
    assert api_view.status_code == 404


def test_the_partners_order_page_names_the_sending_lab_and_shows_no_send_card_for_it(cast, order_in, send, tech_b):
    theirs = send(order_in("published")).partner_order
    page = _client(tech_b).get(f"/orders/{theirs.number}/").content.decode()
    assert f"Received from <strong>{cast.lab_a.name}</strong>" in page
    assert "Received from a partner lab" in page  # the history's entry


def test_only_an_admin_of_another_lab_may_accept_on_the_links_page(cast, invited, tech_b):
    _, raw = invited
    assert _client(tech_b).get(f"/partner-invitations/{raw}/").status_code == 403
    assert _client(cast.admin_a).get(f"/partner-invitations/{raw}/").status_code == 403  # its own lab
    assert _client(cast.admin_b).get("/partner-invitations/not-a-real-token-at-all/").status_code == 404
    assert Client().get(f"/partner-invitations/{raw}/").status_code == 302  # sign in first
    assert PartnerLink.objects.get().status == "pending"
