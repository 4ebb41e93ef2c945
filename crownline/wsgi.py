"""The WSGI entry point (gunicorn `crownline.wsgi:application`), ready before the first request."""

import gc
import os
from importlib import import_module

from django.conf import settings
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "crownline.settings")
application = get_wsgi_application()

# Import every view, API router and schema now rather than during the first request.
import_module(settings.ROOT_URLCONF)

# Python's cyclic garbage collector now and then walks every object the process holds,
# and Django, ninja and pydantic hold a few hundred thousand that live as long as the
# process: each such walk added 30-50 ms to whichever request triggered it, which made
# the p95 of an order list four times its median (bench/run.py, README "Performance").
# Freezing them moves them out of the collector's sight; collecting the youngest
# generation after 10,000 new objects instead of 700 lets a request's short-lived
# objects die by reference counting instead of being traced.
gc.freeze()
gc.set_threshold(10_000, 20, 20)
