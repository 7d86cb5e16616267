import gc
import os
from importlib import import_module

from django.conf import settings
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "contactcentre.settings")
application = get_wsgi_application()

# What is loaded by now lives as long as the process: modules, settings, models, and (imported here
# rather than by the first request) the URL patterns with every view and serializer behind them.
# Frozen, it is no longer walked by each full run of the cyclic garbage collector, which cost the
# customer view 16% of its instructions (bench/README.md, fifth session).
import_module(settings.ROOT_URLCONF)
gc.freeze()
