"""WSGI config: the HTTP application gunicorn serves (`gunicorn contactcentre.wsgi:application`)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "contactcentre.settings")
application = get_wsgi_application()
