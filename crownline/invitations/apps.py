from django.apps import AppConfig


class InvitationsConfig(AppConfig):
    name = "crownline.invitations"
    label = "invitations"
