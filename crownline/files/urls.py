"""Pages of files on an order, under /orders/ (namespace "files")."""

app_name = "files"
urlpatterns: list = []
