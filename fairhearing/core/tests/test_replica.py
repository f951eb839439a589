"""Replica reads: the router's decisions (everywhere), then the statistics and meeting-pack
figures read from a real PostgreSQL streaming standby (`make test-postgres` starts one with
`scripts/test-postgres start-replica` and sets READ_REPLICA_URL).

The standby is `DATABASES["replica"]` with `TEST: {"MIRROR": "default"}`: no test database is
made for it; its connection uses the primary's test database name, which replication has
brought to the standby. Data a test keeps in an uncommitted transaction never reaches a
standby, so the standby test commits (transactional db) and waits for replay; every other test
reads from default (`settings.READ_REPLICA = None` in fairhearing/conftest.py).
"""

import datetime as dt
import os
import runpy
import time
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

import fairhearing.settings
from fairhearing.cases.models import Case, StageChange
from fairhearing.conftest import walk
from fairhearing.core.routers import REPLICA, ReplicaRouter, in_replica_reads, replica_reads
from fairhearing.deadlines.models import Deadline
from fairhearing.ledger.models import Event
from fairhearing.reporting.models import Meeting, MeetingPack, StatisticsReport
from fairhearing.reporting.queries import pack_content, period_figures, period_of
from fairhearing.reporting.services import meeting_pack_make, report_content, report_publish

router = ReplicaRouter()


@pytest.fixture(autouse=True)
def _key(settings: Any, tmp_path: Any) -> None:
    settings.LEDGER_SIGNING_KEY_FILE = tmp_path / "ledger.key"


# --- the router's decisions --------------------------------------------------------------


def test_outside_the_block_everything_goes_to_default(settings: Any) -> None:
    settings.READ_REPLICA = REPLICA
    assert not in_replica_reads()
    assert router.db_for_read(Case) == DEFAULT_DB_ALIAS
    assert router.db_for_write(Case) == DEFAULT_DB_ALIAS


def test_inside_the_block_reads_go_to_the_replica_and_writes_to_default(settings: Any) -> None:
    settings.READ_REPLICA = REPLICA
    with replica_reads() as alias:
        assert alias == REPLICA and in_replica_reads()
        assert router.db_for_read(Case) == REPLICA
        assert router.db_for_read(Case, instance=Case()) == REPLICA
        assert router.db_for_write(Case) == DEFAULT_DB_ALIAS
        assert router.db_for_write(StatisticsReport) == DEFAULT_DB_ALIAS
    assert router.db_for_read(Case) == DEFAULT_DB_ALIAS


def test_without_a_replica_the_block_reads_from_default(settings: Any) -> None:
    settings.READ_REPLICA = None
    with replica_reads() as alias:
        assert alias == DEFAULT_DB_ALIAS
        assert router.db_for_read(Case) == DEFAULT_DB_ALIAS


def test_blocks_nest_and_an_exception_leaves_the_block(settings: Any) -> None:
    settings.READ_REPLICA = REPLICA
    with replica_reads():
        with replica_reads():
            assert router.db_for_read(Case) == REPLICA
        assert router.db_for_read(Case) == REPLICA
    with pytest.raises(RuntimeError), replica_reads():
        raise RuntimeError
    assert not in_replica_reads() and router.db_for_read(Case) == DEFAULT_DB_ALIAS


def test_only_default_is_migrated() -> None:
    assert router.allow_migrate(DEFAULT_DB_ALIAS, "cases")
    assert not router.allow_migrate(REPLICA, "cases")


def test_settings_make_the_replica_a_test_mirror_of_default(monkeypatch: Any) -> None:
    path = fairhearing.settings.__file__
    monkeypatch.setenv("DATABASE_URL", "postgres://fh@127.0.0.1:5432/fairhearing")
    monkeypatch.setenv("READ_REPLICA_URL", "postgres://fh@127.0.0.1:5433/fairhearing")
    conf = runpy.run_path(path)
    replica = conf["DATABASES"]["replica"]
    assert conf["READ_REPLICA"] == REPLICA
    assert replica["ENGINE"] == "django.db.backends.postgresql"
    assert (replica["HOST"], replica["PORT"], replica["NAME"]) == ("127.0.0.1", 5433, "fairhearing")
    assert replica["TEST"] == {"MIRROR": "default"}
    assert conf["DATABASE_ROUTERS"] == ["fairhearing.core.routers.ReplicaRouter"]

    monkeypatch.delenv("READ_REPLICA_URL")
    conf = runpy.run_path(path)
    assert conf["READ_REPLICA"] is None and set(conf["DATABASES"]) == {"default"}

    monkeypatch.delenv("DATABASE_URL")
    monkeypatch.setenv("READ_REPLICA_URL", "postgres://fh@127.0.0.1:5433/fairhearing")
    with pytest.raises(ImproperlyConfigured):
        runpy.run_path(path)  # SQLite has no streaming replica


@pytest.fixture
def decisions(monkeypatch: Any) -> list[tuple[str, Any, bool]]:
    """Every routing decision: (read or write, model, inside replica_reads())."""
    seen: list[tuple[str, Any, bool]] = []
    read, write = ReplicaRouter.db_for_read, ReplicaRouter.db_for_write

    def spy_read(self: ReplicaRouter, model: Any, **hints: Any) -> str:
        seen.append(("read", model, in_replica_reads()))
        return read(self, model, **hints)

    def spy_write(self: ReplicaRouter, model: Any, **hints: Any) -> str:
        seen.append(("write", model, in_replica_reads()))
        return write(self, model, **hints)

    monkeypatch.setattr(ReplicaRouter, "db_for_read", spy_read)
    monkeypatch.setattr(ReplicaRouter, "db_for_write", spy_write)
    return seen


@pytest.mark.django_db
def test_the_figures_are_read_inside_the_block_and_the_report_written_outside(
    organisation: Any, make_complaint: Any, decisions: list[tuple[str, Any, bool]]
) -> None:
    make_complaint()
    decisions.clear()
    report_publish(actor=None, organisation=organisation, period=period_of(timezone.localdate()))
    inside = {model for kind, model, replica in decisions if kind == "read" and replica}
    assert {Case, StageChange, Deadline} <= inside
    assert not any(kind == "write" and replica for kind, _, replica in decisions)
    assert ("write", StatisticsReport, False) in decisions
    # the "already published?" check reads what this service writes: never from the replica
    assert ("read", StatisticsReport, True) not in decisions


@pytest.mark.django_db
def test_the_pack_is_read_inside_the_block_and_written_outside(
    organisation: Any, make_complaint: Any, decisions: list[tuple[str, Any, bool]]
) -> None:
    make_complaint()
    meeting = Meeting.objects.create(
        organisation=organisation, title="Executive Committee", held_on=dt.date(2026, 12, 10)
    )
    decisions.clear()
    meeting_pack_make(meeting=meeting)
    inside = {model for kind, model, replica in decisions if kind == "read" and replica}
    assert {Case, Deadline, Event} <= inside
    assert not any(kind == "write" and replica for kind, _, replica in decisions)
    assert ("write", MeetingPack, False) in decisions  # (the ledger appends on default's cursor)
    assert ("read", MeetingPack, True) not in decisions  # the previous pack: from default


# --- a real standby ------------------------------------------------------------------------

needs_standby = pytest.mark.skipif(
    not os.environ.get("READ_REPLICA_URL"),
    reason="READ_REPLICA_URL is not set (make test-postgres starts a standby and sets it)",
)


def _one(alias: str, sql: str, params: list[Any] | None = None) -> Any:
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    assert row is not None
    return row[0]


def replayed(timeout: float = 30) -> None:
    """Wait until the standby has replayed everything the primary has written so far."""
    # The insert position, not the write position: with synchronous_commit off (the test
    # cluster's setting) a commit can return before its record is written, and the write
    # position would let this return before the standby has the commit.
    lsn = _one(DEFAULT_DB_ALIAS, "SELECT pg_current_wal_insert_lsn()::text")
    deadline = time.monotonic() + timeout
    while not _one(REPLICA, "SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [lsn]):
        assert time.monotonic() < deadline, f"the standby has not replayed {lsn} in {timeout} s"
        time.sleep(0.05)


@needs_standby
@pytest.mark.django_db(transaction=True, databases=[DEFAULT_DB_ALIAS, REPLICA])
@pytest.mark.usefixtures("ledger_teardown")
def test_statistics_and_packs_are_read_from_a_real_standby(
    settings: Any, organisation: Any, make_complaint: Any, case_officer: Any
) -> None:
    settings.READ_REPLICA = REPLICA
    primary, standby = connections[DEFAULT_DB_ALIAS], connections[REPLICA]
    # The same (test) database, on another server, which is a standby.
    assert standby.settings_dict["NAME"] == primary.settings_dict["NAME"]
    assert standby.settings_dict["PORT"] != primary.settings_dict["PORT"]
    assert _one(REPLICA, "SELECT pg_is_in_recovery()") is True
    assert _one(DEFAULT_DB_ALIAS, "SELECT pg_is_in_recovery()") is False

    cases = [
        make_complaint(category="racism" if i % 2 else "bullying").cases.get() for i in range(5)
    ]
    walk(cases[0], case_officer, "acknowledge", "begin_assessment", "assess_no_further_action")
    period, now = period_of(timezone.localdate()), timezone.now()
    replayed()

    with CaptureQueriesContext(standby) as on_standby, CaptureQueriesContext(primary) as on_primary:
        figures = period_figures(organisation, period)
        pack = pack_content(organisation, since=None, now=now)
    assert on_standby.captured_queries and on_primary.captured_queries == []
    assert all(q["sql"].startswith("SELECT") for q in on_standby.captured_queries)
    assert figures["received"] == 5 and figures["closed"] == 1 and figures["closed_by_staff"] == 1
    assert pack["open_cases"] == 4

    # The same figures computed on the primary.
    settings.READ_REPLICA = None
    with CaptureQueriesContext(standby) as on_standby:
        assert period_figures(organisation, period) == figures
        assert pack_content(organisation, since=None, now=now) == pack
    assert on_standby.captured_queries == []
    settings.READ_REPLICA = REPLICA

    # Publishing: the figures from the standby, the head and the report written on the primary.
    with CaptureQueriesContext(standby) as on_standby, CaptureQueriesContext(primary) as on_primary:
        report = report_publish(actor=None, organisation=organisation, period=period)
    assert {k: v for k, v in report.content.items() if k != "ledger_head"} == report_content(
        figures
    )
    assert any('"cases_case"' in q["sql"] for q in on_standby.captured_queries)
    assert not any('"cases_case"' in q["sql"] for q in on_primary.captured_queries)
    assert any(
        q["sql"].startswith('INSERT INTO "reporting_statisticsreport"')
        for q in on_primary.captured_queries
    )
    assert StatisticsReport.objects.filter(pk=report.pk).exists()

    # It really is a standby: it refuses writes.
    with pytest.raises(DatabaseError, match="read-only transaction"):
        Case.objects.using(REPLICA).filter(pk=cases[1].pk).update(category="bullying")

    # Replicas lag: while replay is paused, a new complaint is on the primary (where reads
    # outside replica_reads() see it at once) but not yet in the figures read on the standby.
    _one(REPLICA, "SELECT pg_wal_replay_pause()::text")
    try:
        while _one(REPLICA, "SELECT pg_get_wal_replay_pause_state()") != "paused":
            time.sleep(0.01)
        make_complaint()
        assert Case.objects.filter(organisation=organisation).count() == 6
        assert period_figures(organisation, period)["received"] == 5
    finally:
        _one(REPLICA, "SELECT pg_wal_replay_resume()::text")
    replayed()
    assert period_figures(organisation, period)["received"] == 6
