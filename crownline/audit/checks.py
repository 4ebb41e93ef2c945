"""A deployment check (`crownline check --deploy`): behind a proxy, tell us which one it is.

Without CROWNLINE_TRUSTED_PROXIES every request behind the proxy comes from the proxy's
address: the audit log names the proxy, and the sign-in lockout's per-address limit counts the
whole lab as one address (crownline/netaddr.py).
"""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def trusted_proxies_named_behind_a_proxy(app_configs, **kwargs) -> list[Warning]:
    behind_proxy = getattr(settings, "SECURE_PROXY_SSL_HEADER", None) is not None
    if behind_proxy and not settings.CROWNLINE_TRUSTED_PROXIES:
        return [
            Warning(
                "CROWNLINE_BEHIND_TLS_PROXY is set but CROWNLINE_TRUSTED_PROXIES is empty: every client "
                "has the proxy's address in the audit log and the sign-in lockout.",
                hint="Set CROWNLINE_TRUSTED_PROXIES to the proxy's address (e.g. 127.0.0.1) or the number of proxies.",
                id="crownline.W001",
            )
        ]
    return []
