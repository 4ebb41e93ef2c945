"""A bare Django + django-ninja app serving Crownline's own tables: the baseline of bench/versus.py.

It does the minimum the benchmark's requests need (bearer token by its hash, the tenant
filter, row lock, status check, the event row, the answer) and nothing else: no sessions,
no CSRF, no audit, no idempotency, two middlewares. It never imports crownline.
"""
