"""The billing pages, one module per part (see billing/urls.py)."""
