"""The client's address: the one place that decides who "from where" is.

Behind a TLS proxy every request arrives from the proxy's address (`REMOTE_ADDR`), and the
real client is named in `X-Forwarded-For`, which each proxy extends on the right with the
address it received the request from. Anything left of the proxies' own entries was written
by the client and can say anything, so the header is believed only as far as trusted hops
vouch for it. `CROWNLINE_TRUSTED_PROXIES` says who they are:

- empty (the default): no proxy is trusted; the address is `REMOTE_ADDR`, the header ignored;
- addresses and networks (`127.0.0.1,10.0.0.0/8,fd00::/8`): when the direct peer is one of
  them, walk `X-Forwarded-For` from the right, skipping trusted entries; the first entry that
  is not trusted is the client. A peer that is not trusted is the client itself, whatever
  header it sends, so no one can name an address of their choosing;
- a number of hops (`1`): exactly that many proxies stand in front of the app and each appends
  one entry; the client is that many entries from the right. Use it only when the app cannot
  be reached except through them (a count cannot tell a proxy from a client that bypassed it).

The sign-in lockout (django-axes, `AXES_CLIENT_IP_CALLABLE`), the audit log and anything else
that records an address call `client_address`. It imports only Django's settings, so every
layer may use it.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

if TYPE_CHECKING:  # settings.py imports this module: nothing here may load Django's request machinery
    from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Trusted = int | tuple[Network, ...]

FORWARDED_FOR = "HTTP_X_FORWARDED_FOR"


def parse_trusted_proxies(value: str | int | list[str] | tuple[str, ...] | None) -> Trusted:
    """`CROWNLINE_TRUSTED_PROXIES` as a hop count or a tuple of networks; ImproperlyConfigured if malformed."""
    if value is None:
        return ()
    if isinstance(value, int):
        return _hops(value)
    items = value.split(",") if isinstance(value, str) else list(value)
    items = [item.strip() for item in items if item.strip()]
    if len(items) == 1 and items[0].isdecimal():
        return _hops(int(items[0]))
    try:
        return tuple(ipaddress.ip_network(item, strict=False) for item in items)
    except ValueError as exc:
        raise ImproperlyConfigured(
            f"CROWNLINE_TRUSTED_PROXIES: {exc}; give addresses or networks separated by commas, or a number of hops"
        ) from None


def _hops(count: int) -> int:
    if count < 0:
        raise ImproperlyConfigured("CROWNLINE_TRUSTED_PROXIES: a number of hops cannot be negative")
    return count


@lru_cache(maxsize=8)
def _trusted(raw: str | int | tuple[str, ...]) -> Trusted:
    return parse_trusted_proxies(raw)


def _configured() -> Trusted:
    raw = getattr(settings, "CROWNLINE_TRUSTED_PROXIES", "")
    return _trusted(tuple(raw) if isinstance(raw, list) else raw)


def parse_address(text: str | None) -> Address | None:
    """An address as a proxy or server writes it (`1.2.3.4`, `1.2.3.4:5678`, `[::1]:80`), or None."""
    text = (text or "").strip().strip('"')
    if text.startswith("[") and "]" in text:
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:
        text = text.partition(":")[0]  # IPv4 with a port; an IPv6 address has at least two colons
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def _is_trusted(address: Address, networks: tuple[Network, ...]) -> bool:
    return any(address.version == net.version and address in net for net in networks)


def resolve(remote_addr: str | None, forwarded_for: str | None, trusted: Trusted) -> Address | None:
    """The client's address from the direct peer and its X-Forwarded-For header, trusting `trusted`."""
    peer = parse_address(remote_addr)
    if peer is None or not trusted:
        return peer
    hops = [entry for entry in (forwarded_for or "").split(",") if entry.strip()]
    if isinstance(trusted, int):
        if len(hops) < trusted:
            return peer  # fewer entries than proxies: the request did not come through all of them
        return parse_address(hops[-trusted]) or peer
    if not _is_trusted(peer, trusted):
        return peer  # the header of a peer we do not trust is the client's own word
    nearest = peer
    for entry in reversed(hops):
        address = parse_address(entry)
        if address is None:
            # A trusted proxy wrote garbage: stop at the last address we can vouch for.
            return nearest
        if not _is_trusted(address, trusted):
            return address
        nearest = address
    return nearest  # every hop is one of ours (an internal caller): the farthest one


def client_address(request: HttpRequest) -> str | None:
    """The calling client's address as text, or None when the server gave none we can read."""
    cached = getattr(request, "_crownline_client_address", False)
    if cached is not False:
        return cached
    address = resolve(request.META.get("REMOTE_ADDR"), request.META.get(FORWARDED_FOR), _configured())
    text = str(address) if address is not None else None
    request._crownline_client_address = text
    return text
