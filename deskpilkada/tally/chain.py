"""The hash chain of C.Hasil versions, and the signed checkpoints that anchor it outside the database.

Each version's hash covers the previous version's hash and the version's content, so a change
anywhere in a TPS's history breaks every later link. On its own that proves nothing against
someone who can write the database: change a figure, recompute every hash with `recompute_hash`,
and the chain is whole again. A checkpoint closes that hole. It folds the head hash of every TPS
chain of a contest into one root, signs it with an Ed25519 key that only the environment holds
(`TALLY_SIGNING_KEY`), and is published: a root saved by anyone (a witness, a journalist, a
screenshot of the public results page) later shows whether the history up to it still produces
it, and a root rewritten in the database no longer carries a valid signature.

The root of a checkpoint is SHA-256 over these lines, each ending in a newline:

    deskpilkada-checkpoint-v1 <contest code>
    <tps code>:<version number>:<version hash>      (one per TPS chain, sorted by TPS code)

The signature covers `ChainCheckpoint.message()`: canonical JSON of every published field.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.core.cache import cache
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from deskpilkada import clock
from deskpilkada.audit.log import record
from deskpilkada.elections.models import Contest
from deskpilkada.tally.models import ChainCheckpoint, SheetVersion, TallySheet
from deskpilkada.writelock import write_transaction

# --- the hash chain -----------------------------------------------------------------------


def genesis(contest_code: str, tps_code: str) -> str:
    return hashlib.sha256(f"genesis:{contest_code}:{tps_code}".encode()).hexdigest()


def version_hash(
    prev_hash: str,
    *,
    contest_code: str,
    tps_code: str,
    number: int,
    source: str,
    by: str,
    at: str,
    reason: str,
    figures: dict,
    passed: bool,
    problems: list,
) -> str:
    content = json.dumps(
        {
            "contest": contest_code,
            "tps": tps_code,
            "n": number,
            "source": source,
            "by": by,
            "at": at,
            "reason": reason,
            "figures": figures,
            "passed": passed,
            "problems": problems,
        },
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )
    return hashlib.sha256((prev_hash + content).encode()).hexdigest()


def recompute_hash(version: SheetVersion, prev_hash: str) -> str:
    sheet = version.sheet
    return version_hash(
        prev_hash,
        contest_code=sheet.contest.code,
        tps_code=sheet.tps.code,
        number=version.number,
        source=version.source,
        by=version.entered_by.username if version.entered_by_id else "",  # type: ignore[union-attr]  # no query
        at=version.entered_at.isoformat(),
        reason=version.reason,
        figures=version.as_sheet().as_flat(),
        passed=version.passed,
        problems=version.problems,
    )


def verify_chain(contest: Contest | None = None) -> tuple[int, str | None]:
    """Recompute every version's hash in order; (versions checked, the first broken link or None).

    Sheets are read 500 at a time with their versions and votes prefetched: three queries per
    500 sheets, whatever the number of versions."""
    versions = SheetVersion.objects.select_related("entered_by").prefetch_related("votes").order_by("number")
    sheets = (
        TallySheet.objects.select_related("contest", "tps")
        .prefetch_related(Prefetch("versions", queryset=versions))
        .order_by("pk")
    )
    if contest is not None:
        sheets = sheets.filter(contest=contest)
    checked = 0
    for sheet in sheets.iterator(chunk_size=500):
        prev = genesis(sheet.contest.code, sheet.tps.code)
        expected_number = 1
        last = None
        for version in sheet.versions.all():
            version.sheet = sheet
            where = f"C.Hasil {sheet.contest.code} TPS {sheet.tps.code} versi {version.number}"
            if version.number != expected_number:
                return checked, _("%(w)s: versi %(n)d hilang") % {"w": where, "n": expected_number}
            if version.prev_hash != prev:
                return checked, _("%(w)s: hash sebelumnya tidak cocok (versi sebelumnya diubah atau dihapus)") % {
                    "w": where
                }
            if recompute_hash(version, prev) != version.hash:
                return checked, _("%(w)s: isi versi ini diubah setelah disimpan") % {"w": where}
            prev, last = version.hash, version
            expected_number += 1
            checked += 1
        if last is not None and sheet.latest_id != last.pk:
            return checked, _("C.Hasil %(c)s TPS %(t)s: versi terakhir tidak menunjuk ujung rantai") % {
                "c": sheet.contest.code,
                "t": sheet.tps.code,
            }
    return checked, None


# --- the signing key ----------------------------------------------------------------------

DEVELOPMENT_SEED_TEXT = b"deskpilkada development tally signing key"  # settings derive the dev key from it


@functools.lru_cache(maxsize=4)
def _private_key(seed_b64: str) -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(base64.b64decode(seed_b64))


def _public_raw(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def public_key() -> Ed25519PublicKey:
    return _private_key(settings.TALLY_SIGNING_KEY).public_key()


def public_key_b64() -> str:
    """The public key as published: base64 of its 32 raw bytes."""
    return base64.b64encode(_public_raw(public_key())).decode()


def public_key_pem() -> str:
    return (
        public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()
    )


def key_id(key: Ed25519PublicKey | None = None) -> str:
    """A short name of a public key (the first 16 hex digits of SHA-256 of its raw bytes)."""
    return hashlib.sha256(_public_raw(key or public_key())).hexdigest()[:16]


def is_development_key() -> bool:
    development = base64.b64encode(hashlib.sha256(DEVELOPMENT_SEED_TEXT).digest()).decode()
    return development == settings.TALLY_SIGNING_KEY


def sign(message: bytes) -> str:
    return base64.b64encode(_private_key(settings.TALLY_SIGNING_KEY).sign(message)).decode()


def signature_problem(checkpoint: ChainCheckpoint) -> str | None:
    """None when the checkpoint's signature verifies with the published public key."""
    if checkpoint.key_id != key_id():
        return _("ditandatangani dengan kunci %(k)s, bukan kunci yang diterbitkan (%(p)s)") % {
            "k": checkpoint.key_id,
            "p": key_id(),
        }
    try:
        public_key().verify(base64.b64decode(checkpoint.signature, validate=True), checkpoint.message())
    except (InvalidSignature, ValueError):
        return _("tanda tangan tidak sah: isi checkpoint diubah setelah ditandatangani")
    return None


# --- checkpoints --------------------------------------------------------------------------

Heads = dict[str, tuple[int, str]]  # tps code -> (version number, hash)


def current_heads(contest: Contest) -> tuple[Heads, int]:
    """The head of every TPS chain of the contest as committed now, and the highest version id among them.

    Read from each sheet's `latest`, which moves in the same transaction as the version it points
    at, so the heads are a consistent cut on both engines whatever the order in which concurrent
    transactions commit (an id cut alone would not be: ids are handed out before commit)."""
    rows = TallySheet.objects.filter(contest=contest, latest__isnull=False).values_list(
        "tps__code", "latest__number", "latest__hash", "latest_id"
    )
    heads: Heads = {}
    last = 0
    for code, number, digest, vid in rows.iterator(chunk_size=5000):
        heads[code] = (number, digest)
        last = max(last, vid)
    return heads, last


def fold(contest_code: str, heads: Heads) -> str:
    """The root: SHA-256 over the header line and one `tps:number:hash` line per chain, sorted."""
    digest = hashlib.sha256(f"{ChainCheckpoint.FORMAT} {contest_code}\n".encode())
    for code in sorted(heads):
        number, head = heads[code]
        digest.update(f"{code}:{number}:{head}\n".encode())
    return digest.hexdigest()


def stored_heads(checkpoint: ChainCheckpoint) -> Heads:
    return {code: (int(pair[0]), str(pair[1])) for code, pair in (checkpoint.heads or {}).items()}


def history_hashes(contest: Contest) -> dict[tuple[str, int], str]:
    """The stored hash of every version of the contest: {(tps code, number): hash} (one query)."""
    rows = SheetVersion.objects.filter(sheet__contest=contest).values_list("sheet__tps__code", "number", "hash")
    return {(code, number): digest for code, number, digest in rows.iterator(chunk_size=5000)}


def short(digest: str) -> str:
    return digest[:12] + "…"


def changed_heads(heads: Heads, history: dict[tuple[str, int], str]) -> list[str]:
    """What the history now says differently about each head of a checkpoint, naming the TPS."""
    out = []
    for code in sorted(heads):
        number, head = heads[code]
        now = history.get((code, number))
        if now is None:
            out.append(_("TPS %(t)s: versi %(n)d yang dicakup checkpoint tidak ada lagi") % {"t": code, "n": number})
        elif now != head:
            out.append(
                _("TPS %(t)s: ujung rantai versi %(n)d berubah (checkpoint %(a)s, kini %(b)s)")
                % {"t": code, "n": number, "a": short(head), "b": short(now)}
            )
    return out


@dataclass
class CheckpointReport:
    """One checkpoint held against the key and the current history."""

    checkpoint: ChainCheckpoint
    signature_problem: str | None
    lists_its_root: bool  # the stored heads fold to the stored root
    produced_root: str  # what the current history gives for the same heads
    changed: list[str] = field(default_factory=list)

    @property
    def history_ok(self) -> bool:
        return self.produced_root == self.checkpoint.root and not self.changed

    @property
    def ok(self) -> bool:
        return self.signature_problem is None and self.lists_its_root and self.history_ok

    def problems(self) -> list[str]:
        out = []
        if self.signature_problem:
            out.append(self.signature_problem)
        if not self.lists_its_root:
            out.append(_("daftar ujung rantai yang tersimpan tidak lagi menghasilkan akar checkpoint (diubah)"))
        if not self.history_ok:
            produced = short(self.produced_root)
            out.append(_("riwayat C.Hasil kini menghasilkan akar %(r)s, bukan akar checkpoint") % {"r": produced})
        return out + self.changed


History = dict[tuple[str, int], str]  # (tps code, version number) -> stored hash


def check_checkpoint(checkpoint: ChainCheckpoint, history: History | None = None) -> CheckpointReport:
    """Does the signature verify, and does the current history still produce the checkpoint's root?

    The heads the checkpoint lists are looked up in the history as it is now; combined with
    `verify_chain` (each stored hash recomputed from the content), a whole chain and a matching
    root prove that no version up to the checkpoint changed."""
    contest = checkpoint.contest
    heads = stored_heads(checkpoint)
    if history is None:
        history = history_hashes(contest)
    now = {code: (number, history.get((code, number), "")) for code, (number, _h) in heads.items()}
    return CheckpointReport(
        checkpoint=checkpoint,
        signature_problem=signature_problem(checkpoint),
        lists_its_root=fold(contest.code, heads) == checkpoint.root,
        produced_root=fold(contest.code, now),
        changed=changed_heads(heads, history),
    )


def checkpoint_chain_problems(contest: Contest) -> list[str]:
    """Each checkpoint names the root of the one before it and carries a valid signature."""
    out = []
    prev = ""
    for cp in ChainCheckpoint.objects.filter(contest=contest).select_related("contest").defer("heads").order_by("pk"):
        if cp.prev_root != prev:
            out.append(
                _("checkpoint #%(i)d menyebut akar sebelumnya %(a)s, padahal checkpoint sebelumnya berakar %(b)s")
                % {"i": cp.pk, "a": short(cp.prev_root) if cp.prev_root else "-", "b": short(prev) if prev else "-"}
            )
        problem = signature_problem(cp)
        if problem:
            out.append(_("checkpoint #%(i)d: %(p)s") % {"i": cp.pk, "p": problem})
        prev = cp.root
    return out


def latest_checkpoint(contest: Contest) -> ChainCheckpoint | None:
    """The contest's newest checkpoint (its list of heads, large for a province, is read only when used)."""
    return (
        ChainCheckpoint.objects.filter(contest=contest).select_related("contest").defer("heads").order_by("-pk").first()
    )


def find_checkpoint(root_or_id: str) -> ChainCheckpoint | None:
    """A checkpoint by its root (64 hex digits) or its number."""
    value = root_or_id.strip().lower()
    found = ChainCheckpoint.objects.select_related("contest")
    if len(value) == 64 and all(c in "0123456789abcdef" for c in value):
        return found.filter(root=value).first()
    if value.lstrip("#").isdigit():
        return found.filter(pk=int(value.lstrip("#"))).first()
    return None


@dataclass
class ContestCheck:
    """The whole check of one contest: its chains, its checkpoints, and one checkpoint against the history."""

    contest: Contest
    versions_checked: int
    broken: str | None
    checkpoints: list[str]  # problems of the chain of checkpoints
    report: CheckpointReport | None  # the checkpoint held against the history (the latest by default)
    recomputed_at: datetime  # when the chains were recomputed

    @property
    def ok(self) -> bool:
        return self.broken is None and not self.checkpoints and (self.report is None or self.report.ok)

    def problems(self) -> list[str]:
        out = [self.broken] if self.broken else []
        out += self.checkpoints
        if self.report is not None and not self.report.ok:
            cp = self.report.checkpoint
            out += [_("checkpoint #%(i)d: %(p)s") % {"i": cp.pk, "p": p} for p in self.report.problems()]
        return out


CHAIN_CHECK_SECONDS = 60


def _recomputed_chain(contest: Contest, cached: bool) -> tuple[int, str | None, datetime]:
    """`verify_chain` of the contest, and when it ran. A public page reuses a result for up to
    CHAIN_CHECK_SECONDS, whatever root it was asked about: the full recompute of a province's
    chains costs seconds, and anyone may ask."""
    if not cached:
        return (*verify_chain(contest), timezone.now())
    key = f"tally:chain-check:{contest.pk}:{get_language()}"
    found = cache.get(key)
    if found is None:
        found = (*verify_chain(contest), timezone.now())
        cache.set(key, found, CHAIN_CHECK_SECONDS)
    return found


def check_contest(contest: Contest, against: ChainCheckpoint | None = None, *, cached: bool = False) -> ContestCheck:
    """Recompute the contest's chains, check its checkpoints, and hold `against` (or the latest) to the history."""
    checked, broken, at = _recomputed_chain(contest, cached)
    target = against if against is not None else latest_checkpoint(contest)
    return ContestCheck(
        contest=contest,
        versions_checked=checked,
        broken=broken,
        checkpoints=checkpoint_chain_problems(contest),
        report=check_checkpoint(target) if target is not None else None,
        recomputed_at=at,
    )


class CheckpointRefused(Exception):
    pass


@write_transaction
def publish_checkpoint(*, by, contest: Contest) -> tuple[ChainCheckpoint, bool]:
    """Fold, sign and store the contest's current heads: (checkpoint, True), or (the latest, False)
    when nothing changed since it.

    Refuses when a head of the previous checkpoint is no longer in the history with its hash: a
    rewritten history is never signed over (a periodic job must not launder a tampering)."""
    Contest.objects.select_for_update().filter(pk=contest.pk).first()  # one publisher per contest at a time
    previous = latest_checkpoint(contest)
    heads, last = current_heads(contest)
    root = fold(contest.code, heads)
    if previous is not None:
        if previous.root == root:
            return previous, False
        changed = changed_heads(stored_heads(previous), history_hashes(contest))
        if changed:
            raise CheckpointRefused(
                _("Checkpoint tidak diterbitkan: riwayat sebelum checkpoint #%(i)d berubah di luar aplikasi. %(d)s")
                % {"i": previous.pk, "d": "; ".join(changed[:20])}
            )
    checkpoint = ChainCheckpoint(
        contest=contest,
        at=clock.now(),
        chains=len(heads),
        versions=sum(number for number, _h in heads.values()),
        last_version_id=last,
        heads={code: [number, digest] for code, (number, digest) in sorted(heads.items())},
        root=root,
        prev_root=previous.root if previous else "",
        key_id=key_id(),
        published_by=by if getattr(by, "pk", None) else None,
    )
    checkpoint.signature = sign(checkpoint.message())
    checkpoint.save()
    record(
        "tally.checkpoint_published",
        by=by,
        target=checkpoint,
        target_repr=f"checkpoint {contest.code} {root[:12]}",
        after={
            "root": root,
            "prev_root": checkpoint.prev_root,
            "chains": checkpoint.chains,
            "versions": checkpoint.versions,
            "last_version_id": last,
            "key_id": checkpoint.key_id,
        },
    )
    return checkpoint, True


def publish_all_checkpoints(*, by) -> list[ChainCheckpoint]:
    """A checkpoint for every contest that changed since its last one (the demo seed, a periodic job)."""
    created = []
    for contest in Contest.objects.select_related("region").order_by("pk"):
        checkpoint, new = publish_checkpoint(by=by, contest=contest)
        if new:
            created.append(checkpoint)
    return created
