"""The work schedule pages (lab admins): the week, its breaks and days off, and exceptions.

Joined to the lab's pages (/lab/schedule/, namespace "lab"). The services check the admin
role again on every write.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from crownline.errors import DomainError
from crownline.pages import admin_page, lab_context, refusal_text, show_error
from crownline.schedule import services
from crownline.schedule.calendar import WEEKDAY_NAMES, Day

TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class WeekForm(forms.Form):
    """Seven days, each `working_<n>`, `opens_<n>`, `closes_<n>`, `break_start_<n>`, `break_end_<n>`."""

    def __init__(self, *args, week: tuple[Day, ...] | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for i, name in enumerate(WEEKDAY_NAMES):
            day = week[i] if week else None
            self.fields[f"working_{i}"] = forms.BooleanField(
                required=False, label=name, initial=day.working if day else False
            )
            for part, label in (
                ("opens", "Opens"),
                ("closes", "Closes"),
                ("break_start", "Break from"),
                ("break_end", "Break until"),
            ):
                self.fields[f"{part}_{i}"] = forms.TimeField(
                    required=part in ("opens", "closes"),
                    label=f"{name}: {label}",
                    widget=TIME,
                    initial=getattr(day, part) if day else None,
                )

    def rows(self):
        return [
            (name, [self[f"{part}_{i}"] for part in ("working", "opens", "closes", "break_start", "break_end")])
            for i, name in enumerate(WEEKDAY_NAMES)
        ]

    def week(self) -> list[Day]:
        d = self.cleaned_data
        return [
            Day(
                working=d[f"working_{i}"],
                opens=d[f"opens_{i}"],
                closes=d[f"closes_{i}"],
                break_start=d[f"break_start_{i}"],
                break_end=d[f"break_end_{i}"],
            )
            for i in range(7)
        ]


class ExceptionForm(forms.Form):
    date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(max_length=services.REASON_MAX, help_text="e.g. New Year's Day, the lab's outing")
    yearly = forms.BooleanField(required=False, label="Every year on this day")
    working = forms.BooleanField(required=False, label="A working day (the lab opens on a normally-off day)")


# The service names a day's field "week[3].closes"; the page's field is "closes_3".
def _page_field(field: str) -> str:
    if field.startswith("week[") and "]." in field:
        index, _, part = field[5:].partition("].")
        return f"{part}_{index}"
    return field


def _page(
    request: HttpRequest,
    *,
    week_form: WeekForm | None = None,
    exception_form: ExceptionForm | None = None,
    status: int = 200,
) -> HttpResponse:
    lab = lab_context(request).lab
    return render(
        request,
        "schedule/schedule.html",
        {
            "nav": "lab",
            "tab": "schedule",
            "week_form": week_form or WeekForm(week=services.week_of(lab)),
            "exception_form": exception_form or ExceptionForm(),
            "exceptions": services.exceptions_of(lab),
            "today": lab.local_date(),
            "shipping_days": lab.shipping_days,
        },
        status=status,
    )


@admin_page
def schedule(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _page(request)
    form = WeekForm(request.POST)
    if not form.is_valid():
        return _page(request, week_form=form, status=422)
    try:
        services.save_week(request.user, lab_context(request).lab.slug, form.week())
    except DomainError as exc:
        field = _page_field((getattr(exc, "errors", None) and exc.errors[0]["field"]) or "")
        if field in form.fields:
            form.add_error(field, refusal_text(exc))
        else:
            messages.error(request, refusal_text(exc))
        return _page(request, week_form=form, status=exc.status_code)
    messages.success(request, "Working week saved.")
    return redirect("lab:schedule")


@admin_page
@require_POST
def add_exception(request: HttpRequest) -> HttpResponse:
    form = ExceptionForm(request.POST)
    if not form.is_valid():
        return _page(request, exception_form=form, status=422)
    try:
        found = services.add_exception(
            request.user, lab_context(request).lab.slug, services.ExceptionInput(**form.cleaned_data)
        )
    except DomainError as exc:
        show_error(request, exc, form)
        return _page(request, exception_form=form, status=exc.status_code)
    messages.success(request, f"{found.date:%Y-%m-%d} added: {found.reason}.")
    return redirect("lab:schedule")


@admin_page
@require_POST
def delete_exception(request: HttpRequest, exception_id: int) -> HttpResponse:
    try:
        services.delete_exception(request.user, lab_context(request).lab.slug, exception_id)
    except DomainError as exc:
        messages.error(request, refusal_text(exc))
        return _page(request, status=exc.status_code)
    messages.success(request, "Exception deleted.")
    return redirect("lab:schedule")
