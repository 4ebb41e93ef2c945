"""The choices of the case's fields on an order (issue 13): remakes and due dates."""

from __future__ import annotations

from django.db import models


class RemakeReason(models.TextChoices):
    """Why a case is made again (DLCPM and Pilot count remakes by reason)."""

    FIT = "fit", "Fit"
    SHADE = "shade", "Shade"
    BREAKAGE = "breakage", "Breakage"
    OCCLUSION = "occlusion", "Occlusion / bite"
    CONTACTS = "contacts", "Contacts"
    MARGIN = "margin", "Margin"
    IMPRESSION = "impression", "Impression or scan"
    DESIGN = "design", "Design or shape"
    OTHER = "other", "Other"


class RemakePayer(models.TextChoices):
    LAB = "lab", "The lab"
    CUSTOMER = "customer", "The customer"
    SHARED = "shared", "Shared"


class DueDateSource(models.TextChoices):
    """How the order's due date was set (crownline.schedule explains the computation)."""

    NONE = "", "Not set"
    MANUAL = "manual", "Entered"
    PRODUCTION = "production", "Production days"
    APPOINTMENT = "appointment", "Patient's appointment"
