from django.urls import path

from crownline.orders import action_views, draft_views, views

app_name = "orders"

urlpatterns = [
    path("", views.order_list, name="list"),
    path("new/", draft_views.new_order, name="new"),
    path("<str:number>/", views.order_detail, name="detail"),
    path("<str:number>/edit/", draft_views.edit_draft, name="edit"),
    path("<str:number>/actions/<slug:action>/", action_views.act, name="act"),
    path("<str:number>/payments/<int:payment_id>/cancel/", action_views.cancel_payment, name="cancel-payment"),
    path("<str:number>/payment-instructions/", views.payment_instructions, name="payment-instructions"),
    path("<str:number>/comments/", views.add_comment, name="comment"),
]
