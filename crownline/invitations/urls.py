"""Invitation pages. `lab_urlpatterns` join the lab admin's pages under /lab/ (namespace "lab",
see crownline/urls.py); `urlpatterns` are the public pages (namespace "invitations")."""

from django.urls import path

from crownline.invitations import views

app_name = "invitations"

lab_urlpatterns = [
    path("invitations/", views.invitation_list, name="invitations"),
    path("invitations/<int:invitation_id>/resend/", views.resend, name="invitation-resend"),
    path("invitations/<int:invitation_id>/revoke/", views.revoke, name="invitation-revoke"),
]

urlpatterns = [
    path("invitations/<str:token>/", views.open_invitation, name="open"),
    path("register/<slug:slug>/", views.register, name="register"),
]
