import json
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.test import Client

from fairhearing.intake.tests.test_complaint_form import VALID, send
from fairhearing.ledger import heads
from fairhearing.ledger.maintenance import triggers_bypassed
from fairhearing.ledger.models import Event, EventKind
from fairhearing.ledger.services import event_append

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _key(settings, tmp_path: Path) -> None:
    settings.LEDGER_SIGNING_KEY_FILE = tmp_path / "ledger.key"


def append(n: int) -> None:
    with transaction.atomic():
        for _ in range(n):
            event_append(actor=None, kind=EventKind.CASE_VIEWED, payload={})


def test_a_signed_head_verifies_with_the_public_key_and_not_when_altered() -> None:
    append(5)
    head = heads.head_as_dict(heads.tree_head_sign())
    assert head["tree_size"] == 5
    public = heads.public_key_hex()
    assert heads.verify_head(head, public)
    assert not heads.verify_head({**head, "tree_size": 6}, public)
    assert not heads.verify_head({**head, "root_hash": "00" * 32}, public)


def test_inclusion_and_consistency_proofs_check_out_and_tampering_is_caught(tmp_path: Path) -> None:
    append(7)
    old = heads.tree_head_sign()
    append(6)
    new = heads.tree_head_sign()
    public = heads.public_key_hex()
    inclusion = heads.inclusion_proof(4, new)
    assert heads.check_proof(inclusion, public) == []
    consistency = heads.consistency_proof(old, new)
    assert heads.check_proof(consistency, public) == []
    forged = {**inclusion, "leaf": "ab" * 32}
    assert heads.check_proof(forged, public) == ["the event is not included in the tree head"]
    # Rewriting an old event changes the root: the next head no longer extends the old one.
    with triggers_bypassed():
        Event.objects.filter(seq=3).update(payload={"rewritten": True})
        Event.objects.filter(seq=3).update(hash="cd" * 32)
    append(1)
    rewritten = heads.tree_head_sign()
    assert heads.check_proof(heads.consistency_proof(old, rewritten), public) == [
        "the new tree head does not extend the old one"
    ]


def test_check_proof_runs_from_a_file_and_exits_non_zero_on_a_bad_one(
    tmp_path: Path, capsys
) -> None:
    append(9)
    head = heads.tree_head_sign()
    good = tmp_path / "good.json"
    good.write_text(json.dumps(heads.inclusion_proof(2, head)))
    call_command("ledger", "check-proof", str(good), "--public-key", heads.public_key_hex())
    assert "proof OK" in capsys.readouterr().out
    bad = tmp_path / "bad.json"
    document = heads.inclusion_proof(2, head)
    document["path"][0] = "00" * 32
    bad.write_text(json.dumps(document))
    with pytest.raises(CommandError, match="not included") as raised:
        call_command("ledger", "check-proof", str(bad), "--public-key", heads.public_key_hex())
    assert raised.value.returncode == 2


def test_the_public_endpoints_serve_heads_and_proofs(client: Client) -> None:
    append(4)
    heads.tree_head_sign()
    listing = client.get("/ledger/heads").json()
    assert listing["heads"][0]["tree_size"] == 4 and listing["public_key"] == heads.public_key_hex()
    proof = client.get("/ledger/proofs/inclusion", {"seq": 3}).json()
    assert heads.check_proof(proof, listing["public_key"]) == []
    assert client.get("/ledger/proofs/inclusion", {"seq": 99}).status_code == 404
    assert client.get("/ledger/proofs/consistency", {"from": 4, "to": 1}).status_code == 404


def test_the_acknowledgement_carries_the_leaf_hash_and_how_to_get_the_proof(
    client: Client, organisation
) -> None:
    send(client, VALID)
    received = Event.objects.get(kind=EventKind.COMPLAINT_RECEIVED)
    (message,) = mail.outbox
    assert received.hash in message.body
    assert f"/ledger/proofs/inclusion?seq={received.seq}" in message.body


def test_a_person_following_the_proof_link_reads_a_page_at_once_and_the_proof_later(
    client: Client,
) -> None:
    append(4)
    html = {"Accept": "text/html,application/xhtml+xml"}
    # Before any signed head: the page says the entry is recorded and when the proof comes.
    early = client.get("/ledger/proofs/inclusion", {"seq": 3}, headers=html)
    assert early.status_code == 200
    text = early.content.decode()
    assert "Your entry is in the record." in text and "will include it" in text
    assert client.get("/ledger/proofs/inclusion", {"seq": 3}).status_code == 404  # programs
    heads.tree_head_sign()
    page = client.get("/ledger/proofs/inclusion", {"seq": 3}, headers=html).content.decode()
    assert "Your entry is in the record, unchanged" in page
    assert "signed summary of 4 entries" in page
    assert "format=json" in page and "{" not in page.split("<main", 1)[1].split("</main>")[0]
    # The page's link gives the same proof to check independently.
    proof = client.get(
        "/ledger/proofs/inclusion", {"seq": "3", "size": "4", "format": "json"}, headers=html
    )
    assert heads.check_proof(proof.json(), heads.public_key_hex()) == []
    assert client.get("/ledger/proofs/inclusion", {"seq": 99}, headers=html).status_code == 404
