import gc
import os
from importlib import import_module

from django.conf import settings
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "contactcentre.settings")
application = get_wsgi_application()

# What is loaded by now lives as long as the process: modules, settings, models, and (imported here
# rather than by the first request) the URL patterns with every view and serializer behind them.
# Frozen, it is left out of the cyclic garbage collector's full runs: one walked all of it, some 30-60
# million instructions (10-20 ms) in the request it fell in. Full runs are rare once a worker is warm,
# so this shortens an occasional slow request, not the average one (bench/README.md, fifth session).
import_module(settings.ROOT_URLCONF)
gc.freeze()
