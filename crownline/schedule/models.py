"""The lab's work schedule: its week (hours and a break per weekday) and its exceptions.

A lab with no rows works the default week (Monday to Friday, 08:00-17:00, a 12:00-12:30
break: `calendar.DEFAULT_WEEK`); saving the week writes all seven days.
"""

from __future__ import annotations

from django.core.validators import MaxValueValidator
from django.db import models

from crownline.tenancy.models import Lab


class WorkDay(models.Model):
    """One weekday of a lab's week (0 = Monday)."""

    lab = models.ForeignKey(Lab, on_delete=models.CASCADE, related_name="work_days")
    weekday = models.PositiveSmallIntegerField(validators=[MaxValueValidator(6)])
    working = models.BooleanField(default=True)
    opens = models.TimeField()
    closes = models.TimeField()
    break_start = models.TimeField(null=True, blank=True)
    break_end = models.TimeField(null=True, blank=True)

    class Meta:
        ordering = ["lab_id", "weekday"]
        constraints = [
            models.UniqueConstraint(fields=["lab", "weekday"], name="unique_work_day_per_lab"),
            models.CheckConstraint(condition=models.Q(weekday__lte=6), name="work_day_weekday_range"),
        ]

    def __str__(self) -> str:
        return f"{self.lab_id}: weekday {self.weekday}"


class ScheduleException(models.Model):
    """A date off (a public holiday) or, when `working`, a normally-off day that is worked;
    `yearly` repeats it on the same month and day every year."""

    lab = models.ForeignKey(Lab, on_delete=models.CASCADE, related_name="schedule_exceptions")
    date = models.DateField()
    reason = models.CharField(max_length=200)
    yearly = models.BooleanField(default=False)
    working = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["date", "id"]
        constraints = [
            models.UniqueConstraint(fields=["lab", "date", "yearly"], name="unique_schedule_exception_per_lab"),
        ]

    def __str__(self) -> str:
        return f"{self.date}: {self.reason}"
