from django.conf import settings

from deskpilkada.audit.log import current_ip


def client_ip(request) -> str | None:
    # Behind a trusted reverse proxy (BEHIND_PROXY=1) the proxy's X-Forwarded-For is used.
    if settings.SECURE_PROXY_SSL_HEADER and request.META.get("HTTP_X_FORWARDED_FOR"):
        # The right-most entry is the one our proxy appended; anything left of it the client wrote.
        return request.META["HTTP_X_FORWARDED_FOR"].split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR")


class AuditContextMiddleware:
    """Makes the client address available to audit records written during the request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = current_ip.set(client_ip(request))
        try:
            return self.get_response(request)
        finally:
            current_ip.reset(token)
