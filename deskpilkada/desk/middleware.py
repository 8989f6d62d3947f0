import re
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import translation


class DeskLocaleMiddleware:
    """Indonesian unless the user chose otherwise (the language cookie); the browser's
    Accept-Language is ignored, so a phone set to English still gets the desk's language. The
    language is the request's only: the thread's own is back once the answer is made (a test's
    English request leaves the next test in Indonesian)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        request.LANGUAGE_CODE = language
        with translation.override(language):
            response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


def tile_source(url: str) -> str | None:
    """The CSP source of a {z}/{x}/{y} tile server: "https://tile.example.org", with a
    {s} subdomain as "https://*.tile.example.org"; None for a relative URL (then 'self' covers it)."""
    parts = urlsplit(url)
    if not parts.scheme or not parts.netloc:
        return None
    host = re.sub(r"^\{[a-z]+\}\.", "*.", parts.netloc)
    if "{" in host:  # a placeholder elsewhere in the host: any host of that scheme
        return f"{parts.scheme}:"
    return f"{parts.scheme}://{host}"


def content_security_policy() -> str:
    """Only the desk's own files run or load: every script is a static file (no inline script, no
    inline event handler, no eval), every style a stylesheet; images also from data: and blob:
    URLs (Bootstrap's icons, Leaflet) and from the map tile server if one is set."""
    images = ["'self'", "data:", "blob:"]
    if settings.MAP_TILE_URL and (source := tile_source(settings.MAP_TILE_URL)):
        images.append(source)
    directives = {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": images,
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
    return "; ".join(f"{name} {' '.join(sources)}" for name, sources in directives.items())


class ContentSecurityPolicyMiddleware:
    """Sends the Content-Security-Policy on every answer that does not set its own."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = content_security_policy()

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.policy)
        return response
