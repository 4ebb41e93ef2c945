"""The work schedule through the API and the page: the week, its exceptions, who may do what."""

from __future__ import annotations

import datetime as dt

from django.test import Client

from crownline.schedule.models import ScheduleException, WorkDay

WEEK = [
    {
        "working": i < 5,
        "opens": "08:00",
        "closes": "13:00" if i == 4 else "17:00",
        "break_start": "12:00" if i < 4 else None,
        "break_end": "12:30" if i < 4 else None,
    }
    for i in range(7)
]


def test_a_lab_without_a_schedule_works_the_default_week(cast, api):
    week = api(cast.dentist_a1).get("/labs/lab-a/schedule").json()["week"]
    assert [d["working"] for d in week] == [True] * 5 + [False] * 2
    assert (week[0]["opens"], week[0]["closes"], week[0]["break_start"]) == ("08:00", "17:00", "12:00")


def test_the_admin_saves_the_week_and_the_staff_and_dentists_read_it(cast, api):
    saved = api(cast.admin_a).client.put(
        "/api/v1/labs/lab-a/schedule",
        {"week": WEEK},
        content_type="application/json",
        **api(cast.admin_a).headers,
    )
    assert saved.status_code == 200, saved.content
    assert saved.json()["week"][4]["closes"] == "13:00"
    assert WorkDay.objects.filter(lab=cast.lab_a).count() == 7
    for actor in (cast.tech_a, cast.dentist_a1):
        assert api(actor).get("/labs/lab-a/schedule").json()["week"][4]["closes"] == "13:00"
    assert api(cast.admin_b).get("/labs/lab-a/schedule").status_code == 404


def put(client, week):
    return client.client.put(
        "/api/v1/labs/lab-a/schedule", {"week": week}, content_type="application/json", **client.headers
    )


def test_only_the_admin_writes_the_week(cast, api):
    assert put(api(cast.tech_a), WEEK).status_code == 403
    assert put(api(cast.dentist_a1), WEEK).status_code == 403
    assert put(api(cast.admin_b), WEEK).status_code == 404
    assert not WorkDay.objects.exists()


def test_a_broken_week_is_refused_naming_the_day(cast, api):
    admin = api(cast.admin_a)
    closes_early = [dict(d) for d in WEEK]
    closes_early[2]["closes"] = "07:00"
    refused = put(admin, closes_early)
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "week[2].closes"
    break_outside = [dict(d) for d in WEEK]
    break_outside[0] |= {"break_start": "18:00", "break_end": "18:30"}
    assert put(admin, break_outside).status_code == 422
    nothing = [dict(d, working=False) for d in WEEK]
    assert put(admin, nothing).status_code == 422
    for bad in ("25:00", "8", 28800, "08:00+02:00", "\u0668\u0668:\u0660\u0660"):
        odd = [dict(d) for d in WEEK]
        odd[0]["opens"] = bad
        assert put(admin, odd).status_code == 422, bad
    assert put(admin, WEEK[:6]).status_code == 422
    assert not WorkDay.objects.exists()


def test_the_admin_adds_and_deletes_exceptions(cast, api):
    admin = api(cast.admin_a)
    added = admin.post(
        "/labs/lab-a/schedule/exceptions", {"date": "2026-12-25", "reason": "Christmas Day", "yearly": True}
    )
    assert added.status_code == 201, added.content
    assert (
        admin.post(
            "/labs/lab-a/schedule/exceptions", {"date": "2026-12-25", "reason": "Twice", "yearly": True}
        ).status_code
        == 409
    )
    listed = api(cast.dentist_a1).get("/labs/lab-a/schedule/exceptions").json()
    assert [(x["date"], x["reason"], x["yearly"]) for x in listed] == [("2026-12-25", "Christmas Day", True)]
    assert api(cast.tech_a).delete(f"/labs/lab-a/schedule/exceptions/{added.json()['id']}").status_code == 403
    assert admin.delete(f"/labs/lab-a/schedule/exceptions/{added.json()['id']}").status_code == 204
    assert admin.delete(f"/labs/lab-a/schedule/exceptions/{added.json()['id']}").status_code == 404


def test_an_exception_needs_a_reason_and_a_plausible_date(cast, api):
    admin = api(cast.admin_a)
    for body in (
        {"date": "2026-12-25", "reason": " "},
        {"date": "2926-12-25", "reason": "Far"},
        {"date": "25.12.2026", "reason": "x"},
        {"date": "2026-12-25", "reason": "x", "yearly": "yes"},
    ):
        assert admin.post("/labs/lab-a/schedule/exceptions", body).status_code == 422, body
    assert not ScheduleException.objects.exists()


def test_the_admin_edits_the_week_and_exceptions_on_the_schedule_page(cast):
    page = Client()
    page.force_login(cast.admin_a)
    assert page.get("/lab/schedule/").status_code == 200
    form = {}
    for i, d in enumerate(WEEK):
        form |= {
            f"opens_{i}": d["opens"],
            f"closes_{i}": d["closes"],
            f"break_start_{i}": d["break_start"] or "",
            f"break_end_{i}": d["break_end"] or "",
        }
        if d["working"]:
            form[f"working_{i}"] = "on"
    assert page.post("/lab/schedule/", form).status_code == 302
    assert WorkDay.objects.get(lab=cast.lab_a, weekday=4).closes == dt.time(13)
    bad = form | {"closes_1": "06:00"}
    refused = page.post("/lab/schedule/", bad)
    assert refused.status_code == 422 and "closes after it opens" in refused.content.decode()

    assert (
        page.post(
            "/lab/schedule/exceptions/", {"date": "2026-05-01", "reason": "Labour Day", "yearly": "on"}
        ).status_code
        == 302
    )
    found = ScheduleException.objects.get(lab=cast.lab_a)
    assert found.yearly and "Labour Day" in page.get("/lab/schedule/").content.decode()
    assert page.post(f"/lab/schedule/exceptions/{found.pk}/delete/").status_code == 302
    assert not ScheduleException.objects.exists()


def test_the_technician_does_not_reach_the_schedule_page(cast):
    page = Client()
    page.force_login(cast.tech_a)
    assert page.get("/lab/schedule/").status_code == 403


def test_shipping_days_are_a_lab_setting(cast, api):
    admin = api(cast.admin_a)
    assert admin.patch("/labs/lab-a/settings", {"shipping_days": 3}).json()["shipping_days"] == 3
    assert admin.patch("/labs/lab-a/settings", {"shipping_days": 61}).status_code == 422
    assert api(cast.dentist_a1).get("/labs/lab-a/schedule").json()["shipping_days"] == 3


def test_production_days_are_set_in_the_catalogue_by_the_admin(cast, api):
    admin = api(cast.admin_a)
    changed = admin.patch(f"/labs/lab-a/services/{cast.service_a.pk}", {"production_days": 4})
    assert changed.status_code == 200 and changed.json()["production_days"] == 4
    assert admin.patch(f"/labs/lab-a/services/{cast.service_a.pk}", {"production_days": 366}).status_code == 422
    assert (
        api(cast.tech_a).patch(f"/labs/lab-a/services/{cast.service_a.pk}", {"production_days": 1}).status_code == 403
    )
    cleared = admin.patch(f"/labs/lab-a/services/{cast.service_a.pk}", {"production_days": None})
    assert cleared.json()["production_days"] is None
