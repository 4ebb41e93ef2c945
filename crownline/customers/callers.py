"""Who a bearer token speaks for, from the shared cache: the token, its user, the user's lab roles.

`token_caller` is what `crownline.auth.CallerMiddleware` asks for every API request with a
bearer header. A hit is one cache read and no SQL query with Redis (one, the cache read
itself, with the database cache); a miss is `ApiToken.find` and `lab_roles` (two queries),
then kept for at most a minute. What makes an entry stale and how it is forgotten is in
`crownline.tenancy.callers`; a customer record linked to or unlinked from a login is
forgotten here, where customer records are known.

A limit, said plainly: a miss that read the token just before a revocation committed can put
the old standing back in the cache after the revocation forgot it; the token then works for
the rest of that minute at most. Revocation is otherwise immediate on every app server.
"""

from __future__ import annotations

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver
from django.utils import timezone

from crownline.customers.access import lab_roles
from crownline.customers.models import Customer
from crownline.tenancy.callers import CALLER_SECONDS
from crownline.tenancy.models import ApiToken, caller_key, hash_token


def token_caller(raw: str) -> ApiToken | None:
    """The live token a raw bearer value stands for, with its user and their lab roles loaded."""
    if not raw:
        return None
    key = caller_key(hash_token(raw))
    now = timezone.now()
    token = cache.get(key)
    if token is not None and token.expires_at > now:
        return token
    token = ApiToken.find(raw)
    if token is None:
        return None
    lab_roles(token.user)  # kept on the user object, and so in the cache with it
    seconds = min(CALLER_SECONDS, int((token.expires_at - now).total_seconds()))
    if seconds > 0:
        cache.set(key, token, seconds)
    return token


@receiver(pre_save, sender=Customer, dispatch_uid="crownline_caller_customer_relinked")
def _remember_old_login(sender, instance: Customer, **kwargs) -> None:
    instance._login_before = (  # type: ignore[attr-defined]
        Customer.objects.filter(pk=instance.pk).values_list("user_id", flat=True).first() if instance.pk else None
    )


@receiver(post_save, sender=Customer, dispatch_uid="crownline_caller_customer_saved")
@receiver(post_delete, sender=Customer, dispatch_uid="crownline_caller_customer_deleted")
def _customer_changed(sender, instance: Customer, **kwargs) -> None:
    logins = {instance.user_id, getattr(instance, "_login_before", None)} - {None}
    ApiToken.forget_cached_of(logins)  # type: ignore[arg-type]
