from django.urls import path

from crownline.documents import views

app_name = "documents"

urlpatterns = [
    path("orders/<str:number>/print/", views.print_order, name="print"),
    path("orders/<str:number>/label/", views.print_label, name="label"),
]
