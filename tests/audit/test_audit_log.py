"""Every refused request leaves an audit entry: who, what, when, from where."""

from __future__ import annotations

import pytest
from django.contrib.admin.sites import site
from django.test import RequestFactory

from crownline.audit.models import AuditEntry


def test_a_technician_refused_a_payment_is_written_to_the_audit_log(cast, api, order_in):
    order = order_in("delivered")
    api(cast.tech_a).post(f"/orders/{order.number}/payments", {"amount": "1.00"}, REMOTE_ADDR="10.9.8.7")
    entry = AuditEntry.objects.get()
    assert entry.username == "tech-a" and entry.user == cast.tech_a
    assert (entry.method, entry.path, entry.status_code) == ("POST", f"/api/v1/orders/{order.number}/payments", 403)
    assert entry.remote_addr == "10.9.8.7"
    assert "technician" in entry.detail
    assert entry.created_at is not None


def test_another_lab_looking_at_an_order_is_logged_as_a_refusal(cast, api, order_in):
    order = order_in("published")
    api(cast.admin_b).get(f"/orders/{order.number}")
    entry = AuditEntry.objects.get()
    assert (entry.username, entry.status_code) == ("admin-b", 404)


def test_a_refused_transition_is_logged_with_its_reason(cast, api, order_in):
    order = order_in("published")
    api(cast.tech_a).post(f"/orders/{order.number}/actions/ship", {"tracking_number": "1Z"})
    entry = AuditEntry.objects.get()
    assert entry.status_code == 409
    assert "published" in entry.detail


def test_an_anonymous_caller_is_logged_without_a_user(cast, api, order_in):
    order = order_in("draft")
    api().get(f"/orders/{order.number}")
    entry = AuditEntry.objects.get()
    assert (entry.user, entry.username, entry.status_code) == (None, "", 401)


def test_requests_that_succeed_leave_no_audit_entry(cast, api, order_in):
    order = order_in("published")
    api(cast.tech_a).post(f"/orders/{order.number}/actions/start-production",
                          {"production_date": cast.lab_a.local_date().isoformat()})
    assert not AuditEntry.objects.exists()


def test_no_one_can_edit_or_delete_an_audit_entry(cast, api, order_in):
    order = order_in("draft")
    api(cast.admin_b).get(f"/orders/{order.number}")
    entry = AuditEntry.objects.get()
    entry.detail = "nothing happened"
    with pytest.raises(RuntimeError, match="append-only"):
        entry.save()
    with pytest.raises(RuntimeError, match="append-only"):
        entry.delete()

    superuser = type(cast.admin_a).objects.create_superuser("root", password="root-password-123")
    request = RequestFactory().get("/admin/")
    request.user = superuser
    model_admin = site._registry[AuditEntry]
    assert not model_admin.has_change_permission(request, entry)
    assert not model_admin.has_delete_permission(request, entry)
    assert not model_admin.has_add_permission(request)
