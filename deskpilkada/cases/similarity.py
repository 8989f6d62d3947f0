"""Near-duplicate grouping: a new report joins the group of an open case that is very likely about
the same thing, so that a hundred reports of one hoax are one case with a hundred sightings.

The measure: rapidfuzz's `token_set_ratio` (0–100) of the normalised texts — lower case, accents
and punctuation removed — which ignores word order and repeated words, and scores a short report
whose words all appear in a longer one high. So that a few common words ("jalan menuju TPS") do not
make a short report a sighting of every longer one, the two texts must also share at least
MIN_SHARED_WORDS distinct words. Candidates:

- a hoax: any open hoax case whose claim was known in the last 14 days, anywhere (a hoax travels);
  grouped at ≥ 85 on the claim's text;
- any other category: open cases of the same category at the same kelurahan (or TPS) whose event
  lies within 24 hours of this one; grouped at ≥ 75 on title and description.

Each case's normalised text is kept in `Case.match_text` when it is taken in. The candidate with
the best score wins (the oldest on a tie); a candidate that is itself in a group gives its
group's first case, so groups never chain. At most MAX_CANDIDATES recent cases are scored.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from rapidfuzz import fuzz, process

from deskpilkada.cases.models import Case

HOAX_THRESHOLD = 85
OTHER_THRESHOLD = 75
HOAX_WINDOW = dt.timedelta(days=14)
PLACE_WINDOW = dt.timedelta(hours=24)
MAX_CANDIDATES = 2000
MIN_SHARED_WORDS = 4
_NOT_WORD = re.compile(r"[^\w\s]+")


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode()
    return " ".join(_NOT_WORD.sub(" ", text.lower()).split())


def text_of(case) -> str:
    if case.category == "hoax":
        return normalise(case.details.get("claim") or case.description)
    return normalise(f"{case.title} {case.description}")


def find_group(case) -> int | None:
    """The id of the first case of the group `case` belongs to, or None."""
    rows = Case.objects.open().filter(category=case.category).exclude(pk=case.pk)
    if case.category == "hoax":
        rows = rows.filter(known_at__gte=case.known_at - HOAX_WINDOW, known_at__lte=case.known_at + HOAX_WINDOW)
        threshold = HOAX_THRESHOLD
    else:
        rows = rows.filter(
            region=case.region,
            occurred_at__gte=case.occurred_at - PLACE_WINDOW,
            occurred_at__lte=case.occurred_at + PLACE_WINDOW,
        )
        threshold = OTHER_THRESHOLD
    candidates = list(rows.order_by("-known_at").values_list("pk", "group_id", "match_text")[:MAX_CANDIDATES])
    if not candidates:
        return None
    texts = {pk: text for pk, _group, text in candidates}
    mine = case.match_text or text_of(case)
    best = process.extract(mine, texts, scorer=fuzz.token_set_ratio, score_cutoff=threshold, limit=None, processor=None)
    words = set(mine.split())
    best = [b for b in best if len(words & set(b[0].split())) >= MIN_SHARED_WORDS]
    if not best:
        return None
    top = max(score for _text, score, _pk in best)
    pk = min(pk for _text, score, pk in best if score == top)
    group_id = next(g for p, g, *_rest in candidates if p == pk)
    return group_id or pk
