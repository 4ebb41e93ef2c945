"""Partner links between labs, and the hand-offs of orders along them.

A link starts as an invitation by e-mail from one lab (`lab`); it links nothing until an
admin of another lab accepts it (`partner` is set then). An active link lets either lab
send work to the other: both said yes, one by inviting, the other by accepting. Either side
can end it; the orders already sent stay where they are.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from crownline.orders.models import Order
from crownline.tenancy.models import Lab


class LinkStatus(models.TextChoices):
    PENDING = "pending", "Invited"
    ACTIVE = "active", "Linked"
    ENDED = "ended", "Ended"


class PartnerLink(models.Model):
    lab = models.ForeignKey(Lab, on_delete=models.CASCADE, related_name="partner_links_out")
    # The lab whose admin accepted; empty while the invitation is pending.
    partner = models.ForeignKey(Lab, null=True, blank=True, on_delete=models.CASCADE, related_name="partner_links_in")
    status = models.CharField(max_length=10, choices=LinkStatus.choices, default=LinkStatus.PENDING)
    # Where the invitation went, as the inviting admin typed it.
    email = models.EmailField(max_length=254)
    # The HMAC of the link's token (crownline.invitations.models.token_digest); cleared once used.
    token_hash = models.CharField(max_length=64, blank=True)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["lab", "status"], name="partnerlink_lab_status"),
            models.Index(fields=["partner", "status"], name="partnerlink_partner_status"),
        ]
        constraints = [
            # One live link per ordered pair; the reverse pair is checked under both labs' locks.
            models.UniqueConstraint(
                fields=["lab", "partner"], condition=models.Q(status="active"), name="one_active_link_per_pair"
            ),
            models.UniqueConstraint(
                fields=["token_hash"], condition=~models.Q(token_hash=""), name="partnerlink_token_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"partner link {self.pk} of lab {self.lab_id}"

    def other(self, lab_id: int) -> Lab | None:
        """The lab at the other end, seen from `lab_id`."""
        return self.partner if self.lab_id == lab_id else self.lab


class Handoff(models.Model):
    """One order (some of its lines) sent along a link: the sender's order and the partner's new one."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="handoffs")
    partner_order = models.OneToOneField(Order, on_delete=models.PROTECT, related_name="handoff_received")
    link = models.ForeignKey(PartnerLink, on_delete=models.PROTECT, related_name="handoffs")
    # What went, for the sender's page: [{"line", "position", "service", "partner_service", "quantity"}].
    lines = models.JSONField(default=list)
    files = models.PositiveIntegerField(default=0)
    note = models.TextField(blank=True, max_length=4000)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"hand-off {self.pk} of order {self.order_id}"
