import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "deskpilkada.settings")
application = get_wsgi_application()

from deskpilkada.desk.checks import refuse_weak_secrets  # noqa: E402 (needs the settings loaded above)

refuse_weak_secrets()
