"""Partner labs and sending orders to them (namespace "outsourcing")."""

app_name = "outsourcing"
urlpatterns: list = []
