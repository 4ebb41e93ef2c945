"""`crownline demo`: two labs, their people, a catalogue and orders in every status; safe to run twice."""

from __future__ import annotations

import io

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command

from crownline.accounts import two_factor
from crownline.customers.models import Customer
from crownline.demo.trust import demo_totp_secret
from crownline.invitations.models import Invitation
from crownline.orders.lifecycle import Status
from crownline.orders.models import Order
from crownline.tenancy.models import ApiToken, Lab, Membership

DEMO_PASSWORD = "pw-for-tests"
DEMO_LOGINS = ["lab-admin", "technician", "technician-2", "dentist", "other-admin", "other-dentist"]


def run_demo() -> str:
    out = io.StringIO()
    call_command("demo", "--password", DEMO_PASSWORD, stdout=out)
    return out.getvalue()


def row_counts() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


@pytest.fixture
def demo(db) -> str:
    return run_demo()


def test_the_demo_creates_two_labs_with_their_people(demo):
    demo_lab = Lab.objects.get(name="Demo Dental Lab")
    second = Lab.objects.get(name="Second Lab")

    staff = {(m.user.username, m.lab_id, m.role) for m in Membership.objects.select_related("user")}
    assert staff == {("lab-admin", demo_lab.pk, "lab_admin"), ("technician", demo_lab.pk, "technician"),
                     ("technician-2", demo_lab.pk, "technician"), ("secure-tech", demo_lab.pk, "technician"),
                     ("other-admin", second.pk, "lab_admin")}
    customers = {(c.user.username, c.lab_id) for c in Customer.objects.exclude(user=None).select_related("user")}
    assert customers == {("dentist", demo_lab.pk), ("other-dentist", second.pk)}
    assert "Demo data created" in demo


def test_the_demo_lab_has_orders_in_every_status(demo):
    demo_lab = Lab.objects.get(name="Demo Dental Lab")

    statuses = set(Order.objects.filter(lab=demo_lab).values_list("status", flat=True))

    assert statuses == {s.value for s in Status}
    assert len(Status) == 8


def test_demo_orders_got_to_their_status_through_the_real_actions(demo):
    for order in Order.objects.filter(status__in=["produced", "shipped", "delivered", "completed"]):
        assert order.tasks.exists() and not order.tasks.filter(done=False).exists()
        assert order.events.filter(action="produce").count() == 1
    for order in Order.objects.filter(status="completed"):
        assert order.amount_paid >= order.total
    cancelled = Order.objects.get(lab__name="Demo Dental Lab", status="cancelled")
    assert cancelled.events.last().action == "cancel"


def test_running_the_demo_twice_creates_nothing_new(demo):
    before = row_counts()

    output = run_demo()

    assert row_counts() == before
    assert "nothing added" in output


def test_the_demo_orders_stay_in_their_own_lab(demo, api):
    dentist = get_user_model().objects.get(username="dentist")
    demo_lab = Lab.objects.get(name="Demo Dental Lab")

    listed = api(dentist).get("/orders", {"page_size": 100}).json()

    # Every order of theirs (the demo lab also has a CHF customer's order, not theirs to see).
    assert listed["count"] == Order.objects.filter(lab=demo_lab, customer__user=dentist).count()
    assert {o["lab"] for o in listed["items"]} == {demo_lab.slug}


@pytest.mark.parametrize("username", DEMO_LOGINS)
def test_every_demo_login_gets_a_token_with_the_demo_password(demo, api, username):
    response = api().post("/auth/token", {"username": username, "password": DEMO_PASSWORD})

    assert response.status_code == 200
    token = response.json()["token"]
    labs = api().get("/labs", HTTP_AUTHORIZATION=f"Bearer {token}").json()
    expected = "Second Lab" if username.startswith("other-") else "Demo Dental Lab"
    assert [lab["name"] for lab in labs] == [expected]


def test_a_demo_login_is_refused_with_another_password(demo, api):
    response = api().post("/auth/token", {"username": "lab-admin", "password": "crownline-demo"})

    assert response.status_code == 401


def test_the_demo_shows_the_trust_features(demo):
    """Tokens live, expired and revoked; pending invitations; an open lab; a two-factor login."""
    from_admin = ApiToken.objects.filter(user__username="lab-admin")
    assert from_admin.filter(revoked_at=None).count() == 2  # one live, one expired
    assert from_admin.exclude(revoked_at=None).count() == 1
    assert ApiToken.find(ApiToken.issue(get_user_model().objects.get(username="dentist"))) is not None
    assert Invitation.objects.filter(lab__slug="demo-dental-lab", accepted_at=None).count() == 2
    assert Lab.objects.get(slug="second-lab").open_registration
    secure = get_user_model().objects.get(username="secure-tech")
    assert two_factor.has_device(secure)
    assert demo_totp_secret().replace(" ", "") in demo.replace(" ", "")


def test_running_the_demo_again_keeps_its_tokens_working(demo):
    admin = get_user_model().objects.get(username="lab-admin")
    raw = ApiToken.issue(admin)

    run_demo()

    assert ApiToken.find(raw) is not None


def test_the_busy_demo_order_shows_a_colleagues_task_and_more_comments_than_a_print_holds(demo):
    busy = Order.objects.get(tasks__assignee__username="technician-2")
    assert busy.status == "production"
    assert busy.comments.count() > 20
