"""Partner labs and sending orders to them (namespace "outsourcing", included at the root)."""

from django.urls import path

from crownline.outsourcing.views import partners, send

app_name = "outsourcing"
urlpatterns = [
    path("lab/partners/", partners.partner_list, name="partners"),
    path("lab/partners/<int:link_id>/end/", partners.end_link, name="partner-end"),
    path("lab/partners/<int:link_id>/accept/", partners.accept_addressed, name="partner-accept"),
    path("partner-invitations/<str:link_token>/", partners.open_link, name="open"),
    path("orders/<str:number>/outsource/", send.outsource, name="send"),
]
