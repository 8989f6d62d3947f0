from django.utils import timezone
from ninja import Router, Schema
from ninja.security import APIKeyHeader, HttpBearer, SessionAuth

from deskpilkada.accounts.access import SIGNED_IN, api_requires, grants_for
from deskpilkada.accounts.models import ApiToken, Role, RoleAssignment, User, hash_token
from deskpilkada.api_errors import answers
from deskpilkada.memo import ProcessCache

# A token's user and grants, kept per worker for this long: a machine posting sheets all night
# pays for them twice a minute, not on every request. Revoking the token or changing the user or
# their roles takes effect at once in the worker that did it and within this time in the others.
TOKEN_CACHE_SECONDS = 30
_TOKENS: ProcessCache = ProcessCache(TOKEN_CACHE_SECONDS, ApiToken, User, RoleAssignment, Role)


def _token_user(digest: str) -> User | None:
    try:
        row = ApiToken.objects.active().select_related("user").get(token_hash=digest)
    except ApiToken.DoesNotExist:
        return None
    row.touch()  # the last use is recorded to the minute: once per read of the token
    grants_for(row.user)  # read now, kept on the user with the token
    return row.user


def _user_for_token(request, token: str):
    if not token or not token.startswith(ApiToken.PREFIX):
        return None
    digest = hash_token(token)
    user = _TOKENS.get(digest, lambda: _token_user(digest))
    if user is None:
        return None
    request.user = user
    return user


class TokenAuth(HttpBearer):
    """`Authorization: Bearer dpk_…` with a token from the user's account page."""

    def authenticate(self, request, token):
        return _user_for_token(request, token)


class TokenHeaderAuth(APIKeyHeader):
    """The same token in an `X-API-Key` header, for tools that cannot send Bearer."""

    param_name = "X-API-Key"

    def authenticate(self, request, key):
        return _user_for_token(request, key)


class BrowserSessionAuth(SessionAuth):
    """The browser's login session. CSRF is checked only once there is a signed-in session: a caller
    with neither session nor token gets 401, and a session without the CSRF token still gets 403."""

    def _get_key(self, request):
        if not request.user.is_authenticated:
            return None
        return super()._get_key(request)


AUTH = [TokenAuth(), TokenHeaderAuth(), BrowserSessionAuth(csrf=True)]

router = Router(tags=["akun"])


class RoleOut(Schema):
    role: str
    area: str | None
    tps: str | None


class MeOut(Schema):
    username: str
    full_name: str
    organisation: str | None
    roles: list[RoleOut]
    server_time: str


@router.get("/me", response=answers({200: MeOut}, 401), summary="Pengguna yang sedang masuk dan perannya")
@api_requires(SIGNED_IN)
def me(request):
    user = request.user
    return {
        "username": user.username,
        "full_name": user.full_name,
        "organisation": user.organisation.name if user.organisation_id else None,
        "roles": [{"role": g.role, "area": g.region_code, "tps": g.tps_code} for g in grants_for(user)],
        "server_time": timezone.now().isoformat(),
    }
