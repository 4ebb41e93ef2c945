from django.contrib import admin

from crownline.audit.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only for everyone, superusers included: the log is evidence."""

    # `count` > 1: anonymous refusals from one source folded into this entry, the last at `last_seen_at`.
    list_display = ("created_at", "username", "method", "path", "status_code", "remote_addr", "count", "last_seen_at")
    list_filter = ("status_code",)
    search_fields = ("username", "path", "detail", "source")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
