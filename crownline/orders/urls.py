from django.urls import path

from crownline.orders.views import actions, case_copy, case_markers, drafts, order_list, order_page

app_name = "orders"

urlpatterns = [
    path("", order_list.order_list, name="list"),
    path("new/", drafts.new_order, name="new"),
    path("<str:number>/", order_page.order_detail, name="detail"),
    path("<str:number>/edit/", drafts.edit_draft, name="edit"),
    path("<str:number>/actions/<slug:action>/", actions.act, name="act"),
    path("<str:number>/payments/<int:payment_id>/cancel/", actions.cancel_payment, name="cancel-payment"),
    path("<str:number>/payment-instructions/", order_page.payment_instructions, name="payment-instructions"),
    path("<str:number>/comments/", order_page.add_comment, name="comment"),
    *case_copy.urlpatterns,
    *case_markers.urlpatterns,
]
