"""One invitation through a real SMTP server (aiosmtpd, in this process, on a free port)."""

from __future__ import annotations

import socket

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Message
from django.core import mail

from crownline.invitations import services


class Inbox(Message):
    def __init__(self) -> None:
        super().__init__()
        self.messages = []

    def handle_message(self, message) -> None:
        self.messages.append(message)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp_server(settings):
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", controller.port, 10
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    yield inbox
    controller.stop()


def test_an_invitation_arrives_at_a_real_smtp_server_with_the_link(cast, smtp_server, settings):
    settings.CROWNLINE_BASE_URL = "https://crownline.example.com"
    settings.DEFAULT_FROM_EMAIL = "Lab mail <lab@example.com>"

    invitation = services.invite(cast.admin_a, "lab-a", email="nina@example.com", role="technician")

    assert mail.outbox == []  # went through SMTP, not Django's test outbox
    [message] = smtp_server.messages
    assert (message["To"], message["From"]) == ("nina@example.com", "Lab mail <lab@example.com>")
    assert cast.lab_a.name in message["Subject"]
    assert "https://crownline.example.com/invitations/" in message.get_payload(decode=True).decode()
    invitation.refresh_from_db()
    assert invitation.sent_at is not None
