import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "deskpilkada.settings")
django_application = get_wsgi_application()

from deskpilkada.desk.checks import refuse_weak_secrets  # noqa: E402 (needs the settings loaded above)
from deskpilkada.fastpath import PublicFastPath  # noqa: E402

refuse_weak_secrets()
# The public hot paths (the voter look-up, a region's public results) are answered before
# Django's request stack; everything else goes to it unchanged (deskpilkada/fastpath.py).
application = PublicFastPath(django_application)
