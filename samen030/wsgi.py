"""WSGI entry point: `gunicorn samen030.wsgi`."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samen030.settings")
application = get_wsgi_application()
