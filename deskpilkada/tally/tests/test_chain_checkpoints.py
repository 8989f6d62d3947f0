"""Signed checkpoints anchor the C.Hasil hash chain outside the database (security finding 6)."""

import base64
import hashlib
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import QuerySet

from deskpilkada.audit.models import AppendOnlyError, AuditEntry
from deskpilkada.elections.models import Contest
from deskpilkada.tally import actions, chain, rollup
from deskpilkada.tally.models import ChainCheckpoint, RegionTotal, SheetVersion, SheetVote, TallySheet
from deskpilkada.tally.tests.conftest import KEBON_PEDES_028, MAYOR, make_sheet
from deskpilkada.testing import GOVERNOR, make_correction, make_counted

ROOT = Path(__file__).resolve().parents[3]


def make_two_versions(contest, tps, by):
    """TPS 028 with a first entry and a correction: its version 1 is then an old version."""
    actions.submit_sheet(by=by, tps=tps, contest=contest, sheet=make_sheet(tps.dpt), source="manual")
    fixed = make_sheet(tps.dpt, votes=(60, 50, 70, 20, 30))
    return actions.submit_sheet(by=by, tps=tps, contest=contest, sheet=fixed, source="manual", reason="salah baca")


def make_count():
    """What the count of election night holds: C.Hasil of both contests in three kecamatan, one of
    them corrected (TPS 028 is left for the tests)."""
    for code in ("3271061002001", "3271061002027", "3271041001001", "3271011001001"):
        make_counted(code)
    make_correction("3271061002027", votes=(51, 60, 70, 20, 29), reason="salah baca")
    for code in ("3271041001001", "3271031002001"):
        make_counted(code, GOVERNOR)


@pytest.fixture
def published(db):
    """The count above with a signed checkpoint of each contest, as the periodic job leaves it:
    the mayor's."""
    make_count()
    run("publish_checkpoints")
    return chain.latest_checkpoint(Contest.objects.get(code=MAYOR))


def make_checkpoint(contest):
    checkpoint, created = chain.publish_checkpoint(by=None, contest=contest)
    assert created
    return checkpoint


def rewrite_history(version, *, extra_votes: int = 100) -> None:
    """The attack: move votes in an old version behind the app's back, then recompute every hash of
    the contest with the project's own function so that the chain is whole again."""
    SheetVote.objects.filter(version=version, number=1).update(votes=version.votes.get(number=1).votes + extra_votes)
    for sheet in TallySheet.objects.filter(contest=version.sheet.contest).select_related("contest", "tps"):
        prev = chain.genesis(sheet.contest.code, sheet.tps.code)
        for v in sheet.versions.select_related("entered_by").order_by("number"):
            v.sheet = sheet
            digest = chain.recompute_hash(v, prev)
            if (v.prev_hash, v.hash) != (prev, digest):
                SheetVersion.objects.filter(pk=v.pk).update(prev_hash=prev, hash=digest)
            prev = digest


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_the_periodic_job_publishes_a_signed_checkpoint_of_every_contest(db):
    make_count()
    out = run("publish_checkpoints")
    assert "Selesai: 2 checkpoint baru diterbitkan." in out
    sheets = {MAYOR: 4, GOVERNOR: 2}  # the TPS with a C.Hasil of each contest, made above
    for contest in Contest.objects.all():
        checkpoint = chain.latest_checkpoint(contest)
        assert checkpoint is not None, contest.code
        heads, _last = chain.current_heads(contest)
        assert checkpoint.root == chain.fold(contest.code, heads)
        assert checkpoint.chains == len(heads) == sheets[contest.code]
        assert chain.signature_problem(checkpoint) is None


def test_a_history_rewritten_with_the_projects_own_hash_is_caught_by_the_checkpoint(mayor, tps028, persona):
    make_two_versions(mayor, tps028, persona("kpu"))
    saved_root = make_checkpoint(mayor).root
    before = run("verify_tally_chain", "--contest", MAYOR)
    assert "Rantai utuh" in before and "cocok" in before
    assert "cocok" in run("verify_tally_chain", "--against", saved_root)

    rewrite_history(SheetVersion.objects.get(sheet__tps=tps028, sheet__contest=mayor, number=1))

    assert chain.verify_chain(mayor)[1] is None  # the chain alone no longer notices anything
    with pytest.raises(CommandError) as latest:
        run("verify_tally_chain", "--contest", MAYOR)
    assert f"TPS {KEBON_PEDES_028}: ujung rantai versi 2 berubah" in str(latest.value)
    with pytest.raises(CommandError) as against:
        run("verify_tally_chain", "--against", saved_root)
    assert f"TPS {KEBON_PEDES_028}: ujung rantai versi 2 berubah" in str(against.value)


def test_a_checkpoint_rewritten_in_the_database_fails_its_signature(mayor, tps028, persona):
    make_two_versions(mayor, tps028, persona("kpu"))
    checkpoint = make_checkpoint(mayor)
    rewrite_history(SheetVersion.objects.get(sheet__tps=tps028, sheet__contest=mayor, number=1))
    # The forger also makes the checkpoint agree with the new history, past the model's guard.
    heads, _last = chain.current_heads(mayor)
    raw = QuerySet(model=ChainCheckpoint).filter(pk=checkpoint.pk)
    raw.update(root=chain.fold(mayor.code, heads), heads={c: [n, h] for c, (n, h) in heads.items()})
    report = chain.check_checkpoint(ChainCheckpoint.objects.get(pk=checkpoint.pk))
    assert report.history_ok and report.lists_its_root
    assert "tanda tangan tidak sah" in (report.signature_problem or "")
    with pytest.raises(CommandError, match="tanda tangan tidak sah"):
        run("verify_tally_chain", "--contest", MAYOR)


def test_published_checkpoints_can_be_neither_edited_nor_deleted(published, mayor):
    checkpoint = chain.latest_checkpoint(mayor)
    assert checkpoint == published
    with pytest.raises(AppendOnlyError):
        checkpoint.save()
    with pytest.raises(AppendOnlyError):
        checkpoint.delete()
    with pytest.raises(AppendOnlyError):
        ChainCheckpoint.objects.filter(pk=checkpoint.pk).update(root="0" * 64)
    with pytest.raises(AppendOnlyError):
        ChainCheckpoint.objects.filter(pk=checkpoint.pk).delete()
    assert ChainCheckpoint.objects.get(pk=checkpoint.pk).root == published.root


def test_a_checkpoint_removed_from_the_middle_breaks_the_chain_of_checkpoints(published, mayor, tps028, persona):
    first = chain.latest_checkpoint(mayor)
    assert first == published
    actions.submit_sheet(by=persona("kpu"), tps=tps028, contest=mayor, sheet=make_sheet(tps028.dpt), source="manual")
    middle = make_checkpoint(mayor)
    fixed = make_sheet(tps028.dpt, votes=(60, 50, 70, 20, 30))
    actions.submit_sheet(by=persona("kpu"), tps=tps028, contest=mayor, sheet=fixed, source="manual", reason="x")
    last = make_checkpoint(mayor)
    assert (middle.prev_root, last.prev_root) == (first.root, middle.root)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM tally_chaincheckpoint WHERE id = %s", [middle.pk])
    assert chain.checkpoint_chain_problems(Contest.objects.get(code=GOVERNOR)) == []  # the other contest is whole
    problems = chain.checkpoint_chain_problems(mayor)
    assert problems and f"checkpoint #{last.pk}" in problems[0]


def test_a_deleted_latest_version_leaves_a_whole_chain_but_not_a_matching_checkpoint(mayor, tps028, persona):
    second = make_two_versions(mayor, tps028, persona("kpu"))
    make_checkpoint(mayor)
    first = SheetVersion.objects.get(sheet=second.sheet, number=1)
    TallySheet.objects.filter(pk=second.sheet_id).update(latest=first, version_count=1)
    SheetVote.objects.filter(version=second).delete()
    SheetVersion.objects.filter(pk=second.pk).delete()
    assert chain.verify_chain(mayor)[1] is None
    with pytest.raises(CommandError, match=f"TPS {KEBON_PEDES_028}: versi 2 yang dicakup checkpoint tidak ada lagi"):
        run("verify_tally_chain", "--contest", MAYOR)


def test_an_unknown_root_given_to_the_chain_check_is_reported(db):
    with pytest.raises(CommandError, match="TIDAK DITEMUKAN"):
        run("verify_tally_chain", "--against", "ab" * 32)


def test_publishing_skips_an_unchanged_contest_and_chains_to_the_previous_root(published, mayor, tps028, persona):
    previous = chain.latest_checkpoint(mayor)
    assert previous == published and previous.chains == 4
    again, created = chain.publish_checkpoint(by=None, contest=mayor)
    assert not created and again.pk == previous.pk
    actions.submit_sheet(by=persona("kpu"), tps=tps028, contest=mayor, sheet=make_sheet(tps028.dpt), source="manual")
    out = run("publish_checkpoints", "--contest", MAYOR)
    latest = chain.latest_checkpoint(mayor)
    assert latest.prev_root == previous.root and latest.chains == previous.chains + 1
    assert f"checkpoint #{latest.pk}" in out
    audit = AuditEntry.objects.filter(action="tally.checkpoint_published").first()
    assert audit.after["root"] == latest.root


def test_publishing_refuses_to_sign_over_a_rewritten_history(mayor, tps028, persona):
    make_two_versions(mayor, tps028, persona("kpu"))
    make_checkpoint(mayor)
    rewrite_history(SheetVersion.objects.get(sheet__tps=tps028, sheet__contest=mayor, number=2))
    with pytest.raises(CommandError, match="tidak diberi checkpoint"):
        run("publish_checkpoints", "--contest", MAYOR)
    with pytest.raises(chain.CheckpointRefused, match=KEBON_PEDES_028):
        chain.publish_checkpoint(by=None, contest=mayor)


def test_recount_fix_refuses_a_difference_the_chain_does_not_explain(mayor, tps028, persona):
    make_two_versions(mayor, tps028, persona("kpu"))
    make_checkpoint(mayor)
    rewrite_history(SheetVersion.objects.get(sheet__tps=tps028, sheet__contest=mayor, number=2))
    assert rollup.recount_differences(mayor)
    out = io.StringIO()
    with pytest.raises(CommandError, match="tidak dijelaskan oleh rantai"):
        call_command("recount_tally", "--contest", MAYOR, "--fix", stdout=out)
    assert "TIDAK dijelaskan" in out.getvalue() and KEBON_PEDES_028 in out.getvalue()
    assert rollup.recount_differences(mayor)  # the totals were left as the app had kept them


def test_recount_fix_still_repairs_an_honest_drift_of_the_roll_up(published, mayor, tps028, persona):
    # A sheet after the latest checkpoint is simply not covered yet: no reason to refuse.
    assert KEBON_PEDES_028 not in published.heads
    actions.submit_sheet(by=persona("kpu"), tps=tps028, contest=mayor, sheet=make_sheet(tps028.dpt), source="manual")
    RegionTotal.objects.filter(contest=mayor, region__code="32.71.06").update(voters=7)
    out = run("recount_tally", "--contest", MAYOR, "--fix")
    assert "ditulis ulang" in out
    assert rollup.recount_differences(mayor) == []
    assert RegionTotal.objects.get(contest=mayor, region__code="32.71.06").voters == 3 * 240  # 001, 027, 028


def test_the_public_results_page_shows_the_latest_checkpoint(client, published, mayor):
    checkpoint = chain.latest_checkpoint(mayor)
    assert checkpoint == published
    page = client.get(f"/hasil/{MAYOR}/32.71/").content.decode()
    assert checkpoint.root in page and f"/hasil/checkpoint/{MAYOR}/" in page
    listing = client.get(f"/hasil/checkpoint/{MAYOR}/").content.decode()
    assert checkpoint.root in listing and chain.public_key_b64() in listing


def test_a_new_checkpoint_changes_the_public_etag(client, published, mayor, tps028, persona):
    actions.submit_sheet(by=persona("kpu"), tps=tps028, contest=mayor, sheet=make_sheet(tps028.dpt), source="manual")
    etag = client.get(f"/hasil/{MAYOR}/32.71/")["ETag"]
    make_checkpoint(mayor)
    assert client.get(f"/hasil/{MAYOR}/32.71/")["ETag"] != etag


def test_the_verify_page_confirms_a_published_root(client, published, mayor):
    root = chain.latest_checkpoint(mayor).root
    assert root == published.root
    page = client.get("/hasil/verifikasi/", {"akar": root.upper()}).content.decode()
    assert "Cocok." in page and "sah (kunci publik di bawah)" in page and "masih menghasilkan akar ini" in page


def test_the_verify_page_says_an_unknown_root_was_never_published(client, published):
    page = client.get("/hasil/verifikasi/", {"akar": "cd" * 32}).content.decode()
    assert "bukan salah satu checkpoint yang diterbitkan" in page
    bad = client.get("/hasil/verifikasi/", {"akar": "bukan akar"}).content.decode()
    assert "64 digit heksadesimal" in bad


def test_the_verify_page_says_a_root_whose_history_changed_no_longer_holds(client, mayor, tps028, persona):
    make_two_versions(mayor, tps028, persona("kpu"))
    root = make_checkpoint(mayor).root
    rewrite_history(SheetVersion.objects.get(sheet__tps=tps028, sheet__contest=mayor, number=1))
    page = client.get("/hasil/verifikasi/", {"akar": root}).content.decode()
    assert "TIDAK COCOK." in page and "tidak lagi menghasilkan akar ini" in page
    assert f"TPS {KEBON_PEDES_028}: ujung rantai versi 2 berubah" in page
    assert "sah (kunci publik di bawah)" in page  # the checkpoint itself is genuine


def test_the_verify_page_names_a_version_changed_without_rehashing(client, published, mayor):
    root = published.root
    victim = SheetVersion.objects.filter(sheet__contest=mayor).order_by("pk").first()
    assert victim.number == 1
    SheetVote.objects.filter(version=victim, number=1).update(votes=victim.votes.get(number=1).votes + 5)
    page = client.get("/hasil/verifikasi/", {"akar": root}).content.decode()
    assert "TIDAK COCOK." in page and f"TPS {victim.sheet.tps.code} versi 1: isi versi ini diubah" in page


def test_the_api_lists_checkpoints_that_anyone_can_check_without_the_desk(client, published, mayor, tps028, persona):
    actions.submit_sheet(by=persona("kpu"), tps=tps028, contest=mayor, sheet=make_sheet(tps028.dpt), source="manual")
    make_checkpoint(mayor)  # a second checkpoint: the newest comes first
    listing = client.get(f"/api/v1/tally-checkpoints/{MAYOR}").json()
    key = client.get("/api/v1/tally-signing-key").json()
    assert listing["public_key"] == key["public_key"] and key["algorithm"] == "Ed25519"
    assert [c["root"] for c in listing["checkpoints"]] == [chain.latest_checkpoint(mayor).root, published.root]
    newest = listing["checkpoints"][0]
    assert newest["root"] == chain.latest_checkpoint(mayor).root
    public = Ed25519PublicKey.from_public_bytes(base64.b64decode(key["public_key"]))
    public.verify(base64.b64decode(newest["signature"]), newest["message"].encode())  # raises if forged
    detail = client.get(f"/api/v1/tally-checkpoints/{MAYOR}/{newest['id']}").json()
    lines = [f"deskpilkada-checkpoint-v1 {MAYOR}\n"] + [
        f"{h['tps']}:{h['version']}:{h['hash']}\n" for h in detail["heads"]
    ]
    assert len(detail["heads"]) == 5
    assert hashlib.sha256("".join(lines).encode()).hexdigest() == newest["root"]
    assert client.get(f"/api/v1/tally-checkpoints/{MAYOR}/999999").status_code == 404


def _production_env(tmp_path, **extra) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in {"DESKPILKADA_DEV", "DEBUG", "TALLY_SIGNING_KEY"}}
    env.update(
        {
            "SECRET_KEY": "x" * 20 + "production-like-secret-key-0123456789-abcdefghij",
            "NIK_HASH_SECRET": "another-long-secret-for-the-nik-index",
            "ALLOWED_HOSTS": "desk.example.go.id",
            "DESKPILKADA_VAR_DIR": str(tmp_path),
            **extra,
        }
    )
    return env


@pytest.mark.parametrize("key", [None, "bm90IDMyIGJ5dGVz"])
def test_production_refuses_to_start_without_a_proper_signing_key(tmp_path, key):
    env = _production_env(tmp_path, **({"TALLY_SIGNING_KEY": key} if key else {}))
    result = subprocess.run(
        [sys.executable, "-m", "deskpilkada", "check"], env=env, cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode != 0 and "TALLY_SIGNING_KEY" in result.stderr


def test_production_refuses_the_development_signing_key(tmp_path):
    from django.conf import settings

    env = _production_env(tmp_path, TALLY_SIGNING_KEY=settings.TALLY_SIGNING_KEY)  # the tests run in dev mode
    result = subprocess.run(
        [sys.executable, "-m", "deskpilkada", "check", "--deploy"], env=env, cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode != 0 and "tally.E001" in result.stderr
