"""The work plan's rules for templates: the pages ask the same `shows_pay` as the API and the print."""

from __future__ import annotations

from django import template

from crownline.roles import LabRole
from crownline.workplan.models import Task
from crownline.workplan.presenting import shows_pay

register = template.Library()


@register.simple_tag
def pay_shown(task: Task, standing: LabRole, viewer) -> bool:
    """`{% pay_shown task standing user as show %}`: whether this reader sees the task's pay."""
    return shows_pay(task, standing, viewer)
