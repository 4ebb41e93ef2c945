"""Linking labs by invitation: invite, accept, refuse self, duplicate and unaccepted; end."""

from __future__ import annotations

import pytest
from django.core import mail

from crownline.errors import Conflict, Forbidden, InvalidInput, NotFound
from crownline.outsourcing import links
from crownline.outsourcing.models import PartnerLink
from tests.factories import LabFactory, MembershipFactory


def test_lab_a_admin_invites_by_e_mail_and_nothing_links_until_lab_b_admin_accepts(cast, invited):
    link, raw = invited
    assert link.status == "pending" and link.partner is None
    assert mail.outbox[-1].to == ["admin-b@example.com"] and f"/partner-invitations/{raw}/" in mail.outbox[-1].body
    assert links.partners_of(cast.lab_a) == [] and links.partners_of(cast.lab_b) == []
    accepted = links.accept(cast.admin_b, raw, "lab-b")
    assert (accepted.status, accepted.partner, accepted.accepted_by) == ("active", cast.lab_b, cast.admin_b)
    assert links.partners_of(cast.lab_a) == [cast.lab_b] and links.partners_of(cast.lab_b) == [cast.lab_a]


def test_the_link_works_once(cast, linked, invited):
    _, raw = invited
    with pytest.raises(NotFound):
        links.accept(cast.admin_b, raw, "lab-b")


def test_a_lab_cannot_partner_itself(cast, invited):
    _, raw = invited
    with pytest.raises(InvalidInput) as refused:
        links.accept(cast.admin_a, raw, "lab-a")
    assert refused.value.field == "lab"
    assert PartnerLink.objects.get().status == "pending"


def test_a_second_link_between_the_same_two_labs_is_refused_from_either_side(cast, linked):
    _, again = links.invite_partner(cast.admin_b, "lab-b", email="admin-a@example.com")
    with pytest.raises(Conflict):
        links.accept(cast.admin_a, again, "lab-a")
    assert PartnerLink.objects.filter(status="active").count() == 1


def test_a_second_open_invitation_to_the_same_address_is_refused(cast, invited):
    with pytest.raises(Conflict):
        links.invite_partner(cast.admin_a, "lab-a", email="ADMIN-B@example.com")
    assert PartnerLink.objects.count() == 1


def test_only_an_admin_of_the_accepting_lab_accepts(cast, invited, tech_b):
    _, raw = invited
    with pytest.raises(Forbidden):
        links.accept(tech_b, raw, "lab-b")
    with pytest.raises(NotFound):  # dentist B does not work in lab B's team; lab C is nobody's here
        links.accept(cast.dentist_b, raw, "lab-c")
    assert PartnerLink.objects.get().status == "pending"


def test_only_lab_admins_invite(cast):
    with pytest.raises(Forbidden):
        links.invite_partner(cast.tech_a, "lab-a", email="x@example.com")
    with pytest.raises(NotFound):
        links.invite_partner(cast.admin_b, "lab-a", email="x@example.com")
    with pytest.raises(InvalidInput):
        links.invite_partner(cast.admin_a, "lab-a", email="not an address")
    assert not PartnerLink.objects.exists()


def test_an_admin_of_two_labs_accepts_for_the_one_they_choose(cast, invited):
    lab_c = LabFactory(slug="lab-c")
    MembershipFactory(lab=lab_c, user=cast.admin_b, role="lab_admin")
    _, raw = invited
    assert links.accept(cast.admin_b, raw, "lab-c").partner == lab_c


def test_an_invitation_addressed_to_the_admins_e_mail_is_accepted_from_the_partners_page(cast, invited):
    link, _ = invited
    assert links.addressed_to(cast.admin_b) == [link]
    assert links.addressed_to(cast.admin_a) == []
    with pytest.raises(NotFound):  # lab A's admin has another address
        links.accept_addressed(cast.admin_a, link.pk, "lab-a")
    assert links.accept_addressed(cast.admin_b, link.pk, "lab-b").status == "active"


def test_either_side_ends_a_link(cast, linked):
    ended = links.end(cast.admin_b, "lab-b", linked.pk)
    assert (ended.status, ended.ended_by) == ("ended", cast.admin_b)
    assert links.partners_of(cast.lab_a) == []
    with pytest.raises(Conflict):
        links.end(cast.admin_a, "lab-a", linked.pk)


def test_a_withdrawn_invitation_cannot_be_accepted(cast, invited):
    link, raw = invited
    links.end(cast.admin_a, "lab-a", link.pk)
    with pytest.raises(NotFound):
        links.accept(cast.admin_b, raw, "lab-b")


def test_another_labs_admin_cannot_end_a_link_they_are_not_on(cast, linked):
    lab_c = LabFactory(slug="lab-c")
    admin_c = MembershipFactory(lab=lab_c, role="lab_admin").user
    with pytest.raises(NotFound):
        links.end(admin_c, "lab-c", linked.pk)
    assert PartnerLink.objects.get().status == "active"
