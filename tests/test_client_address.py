"""The client's address through trusted proxies only (crownline/netaddr.py, CROWNLINE_TRUSTED_PROXIES)."""

from __future__ import annotations

import ipaddress
import os
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory, override_settings

from crownline.audit.models import AuditEntry
from crownline.netaddr import client_address, parse_trusted_proxies, resolve

PROXIES = parse_trusted_proxies("127.0.0.1, 10.0.0.0/8, fd00::/8")


def _request(remote_addr: str, forwarded_for: str | None = None):
    extra = {"REMOTE_ADDR": remote_addr}
    if forwarded_for is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return RequestFactory().get("/", **extra)


def test_with_no_trusted_proxy_the_address_is_the_peers_and_the_header_is_ignored():
    assert str(resolve("203.0.113.5", "198.51.100.1", ())) == "203.0.113.5"


def test_behind_a_trusted_proxy_the_client_is_the_entry_the_proxy_appended():
    assert str(resolve("127.0.0.1", "203.0.113.5", PROXIES)) == "203.0.113.5"


def test_a_client_cannot_name_its_own_address_through_a_trusted_proxy():
    # The client sent "X-Forwarded-For: 192.0.2.66"; the proxy appended the address it saw.
    assert str(resolve("127.0.0.1", "192.0.2.66, 203.0.113.5", PROXIES)) == "203.0.113.5"


def test_the_walk_skips_every_trusted_hop_from_the_right():
    assert str(resolve("127.0.0.1", "192.0.2.66, 203.0.113.5, 10.1.2.3, 10.9.9.9", PROXIES)) == "203.0.113.5"


def test_an_untrusted_peers_header_is_ignored_so_it_cannot_be_spoofed():
    assert str(resolve("198.51.100.7", "10.0.0.1, 203.0.113.5", PROXIES)) == "198.51.100.7"


def test_a_request_through_trusted_hops_only_is_from_the_farthest_of_them():
    assert str(resolve("127.0.0.1", "10.0.0.8", PROXIES)) == "10.0.0.8"
    assert str(resolve("127.0.0.1", None, PROXIES)) == "127.0.0.1"


def test_garbage_a_proxy_forwarded_stops_the_walk_at_the_last_address_we_can_vouch_for():
    assert str(resolve("127.0.0.1", "203.0.113.5, not-an-address, 10.0.0.4", PROXIES)) == "10.0.0.4"


def test_a_count_of_hops_takes_that_many_entries_from_the_right():
    assert str(resolve("172.16.0.1", "192.0.2.66, 203.0.113.5", 1)) == "203.0.113.5"
    assert str(resolve("172.16.0.1", "192.0.2.66, 203.0.113.5, 172.16.0.2", 2)) == "203.0.113.5"
    # Fewer entries than proxies: the request did not come through them all.
    assert str(resolve("172.16.0.1", "", 1)) == "172.16.0.1"


def test_ports_brackets_and_ipv4_mapped_addresses_are_understood():
    assert str(resolve("127.0.0.1", "203.0.113.5:4711", PROXIES)) == "203.0.113.5"
    assert str(resolve("127.0.0.1", '"[2001:db8::5]:443"', PROXIES)) == "2001:db8::5"
    assert str(resolve("::ffff:127.0.0.1", "2001:db8::7, fd00::1", PROXIES)) == "2001:db8::7"


@pytest.mark.parametrize("value", ["10.0.0.300", "proxy.internal", "-1", "10.0.0.0/33"])
def test_a_malformed_setting_stops_the_start_with_its_reason(value):
    with pytest.raises(ImproperlyConfigured, match="CROWNLINE_TRUSTED_PROXIES"):
        parse_trusted_proxies(value)


def test_the_setting_reads_addresses_networks_or_a_count():
    assert parse_trusted_proxies("") == ()
    assert parse_trusted_proxies("2") == 2
    assert parse_trusted_proxies(["10.0.0.0/8"]) == (ipaddress.ip_network("10.0.0.0/8"),)


@override_settings(CROWNLINE_TRUSTED_PROXIES="127.0.0.1")
def test_the_request_level_function_reads_the_setting():
    assert client_address(_request("127.0.0.1", "203.0.113.5")) == "203.0.113.5"
    assert client_address(_request("198.51.100.7", "203.0.113.5")) == "198.51.100.7"


@override_settings(CROWNLINE_TRUSTED_PROXIES="127.0.0.1")
def test_the_audit_log_records_the_client_behind_the_proxy_not_the_proxy(cast, api, order_in):
    order = order_in("published")
    api(cast.admin_b).get(f"/orders/{order.number}", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.5")
    api(cast.admin_b).get(f"/orders/{order.number}", REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR="10.0.0.1")
    assert list(AuditEntry.objects.order_by("id").values_list("remote_addr", flat=True)) == [
        "203.0.113.5",
        "198.51.100.7",  # a spoofed header from a peer we do not trust changes nothing
    ]


def _deploy_check(**env: str) -> str:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("CROWNLINE_") or k == "CROWNLINE_DATA_DIR"}
    prod = {"CROWNLINE_DEBUG": "0", "CROWNLINE_SECRET_KEY": "k3-" + "q" * 60, "CROWNLINE_ALLOWED_HOSTS": "lab.example"}
    result = subprocess.run(
        [sys.executable, "-m", "crownline.cli", "check", "--deploy"], env={**clean, **prod, **env},
        capture_output=True, text=True, timeout=120, check=False,
    )
    return result.stdout + result.stderr


def test_the_deployment_check_asks_for_the_trusted_proxies_behind_a_proxy():
    assert "crownline.W001" in _deploy_check(CROWNLINE_BEHIND_TLS_PROXY="1")
    assert "crownline.W001" not in _deploy_check(CROWNLINE_BEHIND_TLS_PROXY="1", CROWNLINE_TRUSTED_PROXIES="127.0.0.1")
