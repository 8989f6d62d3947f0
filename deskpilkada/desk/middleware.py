from django.conf import settings
from django.utils import translation


class DeskLocaleMiddleware:
    """Indonesian unless the user chose otherwise (the language cookie); the browser's
    Accept-Language is ignored, so a phone set to English still gets the desk's language."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response
