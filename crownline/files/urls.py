"""Pages of files on an order, under /orders/ (namespace "files")."""

from django.urls import path

from crownline.files.views import pages

app_name = "files"
urlpatterns = [
    path("<str:number>/files/", pages.upload, name="upload"),
    path("<str:number>/files/<int:file_id>/", pages.content, name="content"),
    path("<str:number>/files/<int:file_id>/preview.png", pages.preview, name="preview"),
    path("<str:number>/files/<int:file_id>/delete/", pages.delete, name="delete"),
]
