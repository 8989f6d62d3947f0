"""A generated DPT for one kelurahan (Kebon Pedes), so that the public TPS look-up can be tried.

The voters look generated: PEMILIH DEMO <n>, NIK 99… (no province has code 99, so a demo NIK can
never be a real one), as many per TPS and sex as the TPS's DPT."""

from __future__ import annotations

import datetime as dt
import io
import random
from collections.abc import Callable, Iterator

from deskpilkada.elections.models import Election
from deskpilkada.tps.models import Tps
from deskpilkada.voters.actions import COLUMNS, import_dpt
from deskpilkada.voters.models import Voter

SEED = 20241127 + 9
DEMO_DPT_KELURAHAN = "32.71.06.1002"  # Kebon Pedes
DEMO_NIK_PREFIX = "99"


def demo_voter_rows(kelurahan_code: str = DEMO_DPT_KELURAHAN) -> Iterator[list[str]]:
    """The DPT file's rows, TPS by TPS, men then women."""
    rng = random.Random(SEED)
    n = 0
    for tps in Tps.objects.filter(kelurahan__code=kelurahan_code).order_by("number"):
        for sex, count in (("L", tps.dpt_male), ("P", tps.dpt_female)):
            for _i in range(count):
                n += 1
                born = dt.date(1950, 1, 1) + dt.timedelta(days=rng.randint(0, 365 * 56))
                yield [
                    f"{DEMO_NIK_PREFIX}{n:014d}",
                    f"{DEMO_NIK_PREFIX}{n // 4:014d}",
                    f"PEMILIH DEMO {n:06d}",
                    "BOGOR",
                    born.isoformat(),
                    sex,
                    "ALAMAT DEMO",
                    "001",
                    "002",
                    tps.code,
                ]


def demo_voter_example() -> tuple[str, str]:
    """The first demo voter's NIK and birth date, for the README and the demo logins."""
    first = next(demo_voter_rows())
    return first[0], first[4]


def seed(*, now: dt.datetime, say: Callable[[str], None]) -> None:
    """The DPT, fixed long before the demo's `now`: imported once, as any DPT file is."""
    election = Election.objects.get(code="pilkada-2024")
    if Voter.objects.filter(election=election).exists():
        return
    # No demo value holds a comma or a quote: plain joins make the CSV file an office would upload.
    text = "\n".join(",".join(row) for row in [COLUMNS, *demo_voter_rows()])
    import_dpt(io.BytesIO(text.encode()), by=None, election=election)
