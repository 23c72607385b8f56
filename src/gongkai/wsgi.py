import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.conf.settings")
application = get_wsgi_application()

from gongkai.core.crypto import require_production_key  # noqa: E402  (needs settings)

require_production_key()
