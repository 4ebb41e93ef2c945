"""The order pages (the web door): the list, the order page and its buttons, the order form."""
