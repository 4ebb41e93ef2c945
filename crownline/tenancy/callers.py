"""A bearer token's caller kept in the shared cache, and the forgetting that keeps it true.

A bearer-token request needs its token, the token's user and that user's lab roles: two
queries when read from the database (`ApiToken.find`, `customers.access.lab_roles`). A
script calls again and again with one token, so `crownline.customers.callers` keeps the
three together in Django's shared cache (`settings.CACHES`: Redis when configured, else a
table of the database) under the token's hash, for at most `CALLER_SECONDS`. With Redis a
cached call costs no SQL query; with the database cache, one (the cache read).

The entry is forgotten, at once and again when the transaction commits (a request reading
the database between the two would otherwise put the old standing back), whenever what it
holds may have changed:

- the token itself is saved or deleted (revoked, renamed, cascade-deleted with its user),
  or ended by a bulk update (`ApiToken.revoke_all`, tokens.revoke, turning two-factor on,
  which call `ApiToken.forget_cached_of` / `forget_callers` themselves);
- its user is saved (deactivated, password changed, renamed) or deleted;
- a membership of the user is saved or deleted (role changed, deactivated, removed);
- a customer record is linked to or unlinked from the user (`crownline.customers.callers`);
- a lab of the user is saved (it may now require two-factor sign-in of its staff).

The entry also never outlives the token's expiry, and `CALLER_SECONDS` is the grain of the
token's last-used time: a miss reads the database, which writes `last_used_at` when it is a
minute old, so the tokens page stays as true as before.
"""

from __future__ import annotations

from django.conf import settings
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from crownline.tenancy.models import LAST_USED_GRAIN, ApiToken, Lab, Membership, forget_callers

CALLER_SECONDS = int(LAST_USED_GRAIN.total_seconds())


@receiver(post_save, sender=ApiToken, dispatch_uid="crownline_caller_token_saved")
@receiver(post_delete, sender=ApiToken, dispatch_uid="crownline_caller_token_deleted")
def _token_changed(sender, instance: ApiToken, created: bool = False, **kwargs) -> None:
    if not created:
        forget_callers([instance.key_hash])


@receiver(post_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="crownline_caller_user_saved")
@receiver(post_delete, sender=settings.AUTH_USER_MODEL, dispatch_uid="crownline_caller_user_deleted")
def _user_changed(sender, instance, created: bool = False, update_fields=None, **kwargs) -> None:
    # Signing in writes only last_login, which no cached standing holds.
    if not created and set(update_fields or ()) != {"last_login"}:
        ApiToken.forget_cached_of([instance.pk])


@receiver(post_save, sender=Membership, dispatch_uid="crownline_caller_membership_saved")
@receiver(post_delete, sender=Membership, dispatch_uid="crownline_caller_membership_deleted")
def _membership_changed(sender, instance: Membership, **kwargs) -> None:
    ApiToken.forget_cached_of([instance.user_id])


@receiver(post_save, sender=Lab, dispatch_uid="crownline_caller_lab_saved")
def _lab_changed(sender, instance: Lab, created: bool, **kwargs) -> None:
    if not created:
        ApiToken.forget_cached_of(Membership.objects.filter(lab=instance).values_list("user_id", flat=True))
