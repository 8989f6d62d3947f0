"""System checks of point 5."""

from django.core import checks

from deskpilkada.tally.chain import is_development_key


@checks.register(checks.Tags.security, deploy=True)
def signing_key_is_not_the_development_one(app_configs, **kwargs) -> list[checks.CheckMessage]:
    """The development signing key is derived from a string in the source: anyone could sign with it."""
    if is_development_key():
        return [
            checks.Error(
                "TALLY_SIGNING_KEY is the development key, which anyone can derive from the source.",
                hint="Set TALLY_SIGNING_KEY to the base64 of 32 random bytes kept outside the database.",
                id="tally.E001",
            )
        ]
    return []
