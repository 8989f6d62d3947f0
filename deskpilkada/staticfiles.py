"""Static file storage: whitenoise's compressed manifest, minus source-map rewriting.

The vendored libraries are kept byte-identical to their packages, which name `.map` files we do
not ship; rewriting those references would fail collectstatic.
"""

from whitenoise.storage import CompressedManifestStaticFilesStorage


def _without_sourcemaps(patterns):
    def keep(p):
        return "sourceMappingURL" not in (p[0] if isinstance(p, tuple) else p)

    return tuple((glob, tuple(p for p in pats if keep(p))) for glob, pats in patterns)


class StaticStorage(CompressedManifestStaticFilesStorage):
    patterns = _without_sourcemaps(CompressedManifestStaticFilesStorage.patterns)
