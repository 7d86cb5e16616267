import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "contactcentre.settings")
application = get_wsgi_application()

# What is loaded by now (modules, settings, URL patterns, models) lives as long as the process.
# Frozen, it is no longer walked by every full run of the cyclic garbage collector, which otherwise
# cost the customer view 16% of its instructions (bench/README.md, fifth session).
gc.freeze()
