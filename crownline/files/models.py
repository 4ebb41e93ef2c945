"""A file on an order: what it is (checked from its bytes), where its bytes are stored, who
may see it, and its preview."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from crownline.files.sniffing import NAME_MAX


class FileKind(models.TextChoices):
    SCAN = "scan", "Scan"
    PHOTO = "photo", "Photo"
    PDF = "pdf", "PDF"
    ARCHIVE = "archive", "Archive"


class FileType(models.TextChoices):
    STL = "stl", "STL"
    PLY = "ply", "PLY"
    OBJ = "obj", "OBJ"
    THREE_MF = "3mf", "3MF"
    JPEG = "jpeg", "JPEG"
    PNG = "png", "PNG"
    HEIC = "heic", "HEIC"
    PDF = "pdf", "PDF"
    ZIP = "zip", "ZIP"


class PreviewState(models.TextChoices):
    PENDING = "pending", "Being made"
    READY = "ready", "Ready"
    NONE = "none", "No preview for this type"
    FAILED = "failed", "Could not be made"


class OrderFile(models.Model):
    order = models.ForeignKey("orders.Order", on_delete=models.CASCADE, related_name="files")
    name = models.CharField(max_length=NAME_MAX)
    kind = models.CharField(max_length=10, choices=FileKind.choices)
    type = models.CharField(max_length=10, choices=FileType.choices)
    content_type = models.CharField(max_length=60)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    # Where the bytes are in the storage (STORAGES["default"]); never derived from `name`.
    storage_name = models.CharField(max_length=255, unique=True)
    # Shared with the customer, or internal to the lab. A customer's own uploads are shared.
    shared = models.BooleanField(default=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    preview_name = models.CharField(max_length=255, blank=True)
    preview_state = models.CharField(max_length=10, choices=PreviewState.choices, default=PreviewState.PENDING)

    class Meta:
        ordering = ["uploaded_at", "id"]
        indexes = [models.Index(fields=["order", "shared"])]

    def __str__(self) -> str:
        return self.name

    @property
    def is_mesh(self) -> bool:
        return self.kind == FileKind.SCAN
