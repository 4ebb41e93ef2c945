"""Forms of the work-plan panel and "My tasks"."""

from __future__ import annotations

from django import forms

from crownline.pages import VersionForm


class TaskForm(VersionForm):
    name = forms.CharField(max_length=200, label="Task")
    assignee = forms.TypedChoiceField(coerce=int, required=False, empty_value=None)
    pay = forms.DecimalField(required=False, decimal_places=2, max_digits=12, min_value=0)

    def __init__(self, *args, members=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"].choices = [("", "Unassigned")] + [(m.user_id, m.user.get_username()) for m in members]


class MarkForm(VersionForm):
    done = forms.TypedChoiceField(coerce=lambda v: v == "1", choices=[("1", "done"), ("0", "not done")])
    next = forms.CharField(required=False)
