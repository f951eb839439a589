"""Backup and restore on the database under test, restored into a fresh database by the real
command in another process, and checked there by the ledger and the record counts."""

import io
import json
import os
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
from django.db import connection

from fairhearing.evidence.services import Upload, evidence_add_file
from fairhearing.evidence.storage import blob_path
from fairhearing.operations.backup import backup_create

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("ledger_teardown")]

MANAGE = Path(__file__).resolve().parents[2] / "manage.py"


@pytest.fixture
def fresh_database(tmp_path):
    """The URL of an empty database of the same kind as the one under test."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    db = connection.settings_dict
    name = f"restored_{os.getpid()}"
    with connection.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {name}")
        cursor.execute(f"CREATE DATABASE {name}")
    yield f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{name}"
    connection.close()
    with connection.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def restore_command(backup: Path, url: str, tmp_path: Path) -> subprocess.CompletedProcess:
    inherited = {k: v for k, v in os.environ.items() if k != "READ_REPLICA_URL"}
    env = {
        **inherited,
        "DATABASE_URL": url,
        "FAIRHEARING_VAR_DIR": str(tmp_path / "var"),
        "FAIRHEARING_EVIDENCE_ROOT": str(tmp_path / "restored-evidence"),
    }
    return subprocess.run(  # noqa: S603
        [sys.executable, str(MANAGE), "restore", str(backup)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


def test_a_backup_restores_into_an_empty_database_and_checks_out(
    make_complaint, tmp_path, fresh_database
) -> None:
    case = make_complaint().cases.get()
    item = evidence_add_file(actor=None, case=case, upload=Upload("note.txt", b"Branch minutes."))
    backup = tmp_path / "backup.tar"
    manifest = backup_create(backup)
    assert manifest["database"] == connection.vendor
    assert manifest["counts"]["cases_case"] == 1
    with tarfile.open(backup) as archive:
        names = archive.getnames()
    assert f"evidence/{blob_path(item.sha256).relative_to(blob_path(item.sha256).parents[2])}" in (
        names
    )
    result = restore_command(backup, fresh_database, tmp_path)
    assert result.returncode == 0, result.stderr
    assert f"{manifest['ledger']['events']} events" in result.stdout
    assert "ledger verified" in result.stdout
    restored_blob = (
        tmp_path / "restored-evidence" / item.sha256[:2] / item.sha256[2:4] / item.sha256
    )
    assert restored_blob.read_bytes() == b"Branch minutes."
    # Restoring again over a database that now holds a ledger is refused.
    again = restore_command(backup, fresh_database, tmp_path)
    assert again.returncode != 0 and "not empty" in again.stderr


def test_a_restore_that_does_not_match_its_manifest_fails(
    make_complaint, tmp_path, fresh_database
) -> None:
    make_complaint()
    backup = tmp_path / "backup.tar"
    backup_create(backup)
    # A backup whose database lost rows (or whose manifest was edited): the check must fail.
    forged = tmp_path / "forged.tar"
    with tarfile.open(backup) as source, tarfile.open(forged, "w") as target:
        for member in source.getmembers():
            data = source.extractfile(member)
            if member.name == "manifest.json":
                manifest = json.loads(data.read())  # type: ignore[union-attr]
                manifest["counts"]["cases_case"] += 1
                manifest["ledger"]["head"] = "0" * 64
                body = json.dumps(manifest).encode()
                member.size = len(body)
                target.addfile(member, io.BytesIO(body))
            else:
                target.addfile(member, data)
    result = restore_command(forged, fresh_database, tmp_path)
    assert result.returncode == 2
    assert "cases_case: 1 rows, the backup had 2" in result.stderr
    assert "is not the backup's head" in result.stderr
