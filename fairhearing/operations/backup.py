"""Backup and restore, for both databases, checked by the ledger and by record counts.

A backup is one tar file:

    manifest.json     when, which database, the ledger's head, and every table's row count
    database.dump     PostgreSQL: `pg_dump --format=custom`
    database.sqlite3  SQLite: a consistent copy made with SQLite's online backup API
    evidence/...      every evidence blob (content-addressed, so copying is safe while running)

A restore loads the database and the evidence, then checks: the ledger verifies from genesis
to the manifest's head (and the head is the same event), and every table has at least the
manifest's rows (exactly as many, unless the database was written after the backup began).
"""

import datetime as dt
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import connection

from fairhearing.ledger.models import Event
from fairhearing.ledger.queries import ledger_verify

PG_BIN = Path("/usr/lib/postgresql/15/bin")


class BackupError(RuntimeError):
    pass


@dataclass(frozen=True)
class RestoreResult:
    events: int
    head: str
    counts: dict[str, int]
    problems: list[str]

    @property
    def ok(self) -> bool:
        return not self.problems


def _pg_tool(name: str) -> str:
    candidate = PG_BIN / name
    return str(candidate) if candidate.exists() else name


def _pg_env() -> tuple[list[str], dict[str, str]]:
    db = connection.settings_dict
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    args = ["--dbname", str(db["NAME"])]
    if db.get("HOST"):
        args += ["--host", str(db["HOST"])]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", str(db["USER"])]
    return args, env


def table_counts() -> dict[str, int]:
    counts = {}
    existing = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        for model in apps.get_models():
            table = model._meta.db_table
            if model._meta.managed and not model._meta.proxy and table in existing:
                cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
                counts[table] = cursor.fetchone()[0]
    return counts


def _head() -> tuple[int, str]:

    head = Event.objects.order_by("-seq").values_list("seq", "hash").first()
    return head if head else (0, "")


def _add_bytes(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(dt.datetime.now().timestamp())
    archive.addfile(info, io.BytesIO(data))


def backup_create(path: Path) -> dict[str, Any]:
    """Write a backup of the database and the evidence to `path`; returns the manifest."""
    vendor = connection.vendor
    seq, head = _head()
    manifest = {
        "format": 1,
        "made_at": dt.datetime.now(dt.UTC).isoformat(),
        "database": vendor,
        "ledger": {"events": seq, "head": head},
        "counts": table_counts(),
    }
    with tempfile.TemporaryDirectory() as scratch:
        dump = Path(scratch) / "database"
        if vendor == "postgresql":
            args, env = _pg_env()
            result = subprocess.run(  # noqa: S603 - fixed program, arguments from settings
                [_pg_tool("pg_dump"), "--format=custom", "--no-owner", "--file", str(dump), *args],
                env=env,
                capture_output=True,
                text=True,
                check=False,
            )
            if result.returncode != 0:
                raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
            member = "database.dump"
        elif vendor == "sqlite":
            source = sqlite3.connect(str(connection.settings_dict["NAME"]))
            target = sqlite3.connect(str(dump))
            with target:
                source.backup(target)
            source.close()
            target.close()
            member = "database.sqlite3"
        else:
            raise BackupError(f"no backup for {vendor}")
        tmp = path.with_name(path.name + ".partial")
        with tarfile.open(tmp, "w") as archive:
            _add_bytes(archive, "manifest.json", json.dumps(manifest, indent=2).encode())
            archive.add(str(dump), arcname=member)
            root = Path(settings.EVIDENCE_ROOT)
            if root.exists():
                for blob in sorted(root.glob("??/??/*")):
                    if blob.is_file() and not blob.name.startswith("."):
                        archive.add(str(blob), arcname=f"evidence/{blob.relative_to(root)}")
        os.replace(tmp, path)
    return manifest


def _read_manifest(archive: tarfile.TarFile) -> dict[str, Any]:
    member = archive.extractfile("manifest.json")
    if member is None:
        raise BackupError("the backup has no manifest")
    return dict(json.loads(member.read()))


def restore_check(manifest: dict[str, Any]) -> RestoreResult:

    problems = []
    verified = ledger_verify()
    if not verified.ok:
        problems.append(f"ledger: {verified.problem}")
    wanted = manifest["ledger"]
    if wanted["events"]:
        at_head = Event.objects.filter(seq=wanted["events"]).values_list("hash", flat=True).first()
        if at_head != wanted["head"]:
            problems.append(f"ledger: event #{wanted['events']} is not the backup's head")
    counts = table_counts()
    for table, expected in manifest["counts"].items():
        if counts.get(table, 0) < expected:
            problems.append(f"{table}: {counts.get(table, 0)} rows, the backup had {expected}")
    return RestoreResult(verified.checked, verified.head_hash, counts, problems)


def restore(path: Path) -> RestoreResult:
    """Load the backup into the configured database (which must be empty) and the evidence
    root, then check it."""
    with tarfile.open(path) as archive:
        manifest = _read_manifest(archive)
        vendor = connection.vendor
        if manifest["database"] != vendor:
            raise BackupError(f"this is a {manifest['database']} backup; the database is {vendor}")
        with tempfile.TemporaryDirectory() as scratch:
            archive.extractall(scratch, filter="data")
            if vendor == "postgresql":
                args, env = _pg_env()
                connection.close()
                result = subprocess.run(  # noqa: S603 - fixed program, arguments from settings
                    [
                        _pg_tool("pg_restore"),
                        "--clean",
                        "--if-exists",
                        "--no-owner",
                        "--exit-on-error",
                        *args,
                        str(Path(scratch) / "database.dump"),
                    ],
                    env=env,
                    capture_output=True,
                    text=True,
                    check=False,
                )
                if result.returncode != 0:
                    raise BackupError(f"pg_restore failed: {result.stderr.strip()[:2000]}")
            else:
                target = Path(str(connection.settings_dict["NAME"]))
                connection.close()
                for suffix in ("-wal", "-shm"):
                    Path(f"{target}{suffix}").unlink(missing_ok=True)
                shutil.copyfile(Path(scratch) / "database.sqlite3", target)
            evidence = Path(scratch) / "evidence"
            root = Path(settings.EVIDENCE_ROOT)
            if evidence.exists():
                for blob in evidence.glob("??/??/*"):
                    destination = root / blob.relative_to(evidence)
                    destination.parent.mkdir(parents=True, exist_ok=True)
                    if not destination.exists():
                        shutil.copyfile(blob, destination)
                        destination.chmod(0o440)
    return restore_check(manifest)


def database_is_empty() -> bool:
    """True when nothing (not even the schema) is there yet, or the ledger is empty."""
    tables = connection.introspection.table_names()
    if "ledger_event" not in tables:
        return True
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM ledger_event")
        return bool(cursor.fetchone()[0] == 0)
