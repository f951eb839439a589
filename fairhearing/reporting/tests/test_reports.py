import datetime as dt

import pytest
import time_machine
from django.test import Client

from fairhearing.cases.models import Case
from fairhearing.conftest import walk
from fairhearing.reporting.queries import period_figures, period_parse
from fairhearing.reporting.services import report_publish
from fairhearing.reporting.suppression import SMALL

pytestmark = pytest.mark.django_db
Q4 = period_parse("2026-Q4")


@pytest.fixture(autouse=True)
def _key(settings, tmp_path) -> None:
    settings.LEDGER_SIGNING_KEY_FILE = tmp_path / "ledger.key"


@pytest.fixture
def quarter(make_complaint, case_officer) -> list[Case]:
    """Twelve complaints in 2026-Q4: eight bullying, four racism; three closed by staff."""
    cases = []
    with time_machine.travel(dt.datetime(2026, 10, 5, 10, tzinfo=dt.UTC)):
        for i in range(12):
            cases.append(make_complaint(category="bullying" if i < 8 else "racism").cases.get())
        for case in cases[:3]:
            walk(case, case_officer, "acknowledge", "begin_assessment", "assess_no_further_action")
    return cases


def test_every_figure_matches_a_direct_count_and_staff_closures_count(
    organisation, quarter
) -> None:
    figures = period_figures(organisation, Q4)
    in_period = Case.objects.filter(opened_at__gte=Q4.bounds()[0], opened_at__lt=Q4.bounds()[1])
    assert figures["received"] == in_period.count() == 12
    assert (
        figures["by_category"]["Bullying or harassment"]
        == in_period.filter(category="bullying").count()
    )
    assert figures["by_category"]["Racism"] == 4
    assert sum(figures["by_stage"].values()) == 12 and figures["by_stage"]["Closed"] == 3
    assert figures["closed"] == 3 and figures["closed_by_staff"] == 3
    assert figures["outcomes"]["No further action after assessment"] == 3


def test_time_to_outcome_median_and_90th_percentile(organisation, make_complaint) -> None:
    """The same definition on both databases (PostgreSQL computes it in SQL): the median of
    the days from opening to closing, and the value at index int(0.9 n) of the sorted days."""
    days = [3, 10, 1, 7, 30, 2, 12]  # sorted: 1 2 3 7 10 12 30
    opened = dt.datetime(2026, 10, 2, 9, tzinfo=dt.UTC)
    for n in days:
        case = make_complaint().cases.get()
        Case.objects.filter(pk=case.pk).update(
            opened_at=opened,
            closed_at=opened + dt.timedelta(days=n, hours=12),
            stage="closed",
            outcome="no_further_action",
        )
    figures = period_figures(organisation, Q4)
    assert figures["closed"] == 7
    assert figures["time_to_outcome_days"] == {"median": 7.5, "p90": 30.5}
    Case.objects.filter(closed_at=opened + dt.timedelta(days=30, hours=12)).update(
        closed_at=dt.datetime(2027, 2, 1, tzinfo=dt.UTC)  # closed in another quarter
    )
    assert period_figures(organisation, Q4)["time_to_outcome_days"] == {
        "median": 5.5,  # between 3.5 and 7.5
        "p90": 12.5,
    }


def test_the_published_report_suppresses_small_numbers_and_freezes_a_ledger_head(
    organisation, quarter
) -> None:
    report = report_publish(actor=None, organisation=organisation, period=Q4)
    content = report.content
    assert content["received"] == "12"
    by_category = next(t for t in content["tables"] if t["name"] == "by_category")
    shown = {r["label"]: r["shown"] for r in by_category["rows"]}
    assert shown["Racism"] == SMALL and shown["Bullying or harassment"] == "*"  # hidden behind
    assert shown["Antisemitism"] == "0"
    assert content["closed"] == SMALL
    assert content["time_to_outcome_days"]["median"] is None  # fewer than 6 closed
    assert content["ledger_head"]["tree_size"] == report.tree_size > 0


def test_the_public_page_csv_and_json(organisation, quarter, client: Client) -> None:
    report_publish(actor=None, organisation=organisation, period=Q4)
    assert "2026-Q4" in client.get("/statistics/").content.decode()
    page = client.get("/statistics/2026-Q4/")
    assert page.status_code == 200 and "<svg" in page.content.decode()
    assert "Priya" not in page.content.decode() and "Rowan" not in page.content.decode()
    csv_response = client.get("/statistics/2026-Q4.csv")
    assert csv_response["Content-Type"].startswith("text/csv")
    assert "Racism,1-5" in csv_response.content.decode()
    assert client.get("/statistics/2026-Q4.json").json()["received"] == "12"
    pdf = client.get("/statistics/2026-Q4.pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert b"Complaints statistics 2026-Q4" in pdf.content  # the document's title metadata


def test_bad_periods_and_formats_are_a_clear_4xx(organisation, client: Client) -> None:
    assert client.get("/statistics/2026-Q9/").status_code == 400
    assert client.get("/statistics/2026-Q4.pdfx").status_code == 400
    assert client.get("/statistics/2025-Q1/").status_code == 404


def test_an_empty_period_says_so(organisation, client: Client) -> None:
    report = report_publish(actor=None, organisation=organisation, period=period_parse("2020-Q1"))
    assert report.content["empty"] is True
    assert (
        "No complaints were received or closed"
        in client.get("/statistics/2020-Q1/").content.decode()
    )


def test_each_quarter_is_published_once_when_it_ends(organisation, quarter) -> None:
    from fairhearing.reporting.models import StatisticsReport
    from fairhearing.reporting.services import statistics_publish_due

    assert statistics_publish_due(today=dt.date(2026, 12, 31)) is not None  # 2026-Q3
    assert statistics_publish_due(today=dt.date(2027, 1, 2)).period == "2026-Q4"  # type: ignore[union-attr]
    assert statistics_publish_due(today=dt.date(2027, 1, 3)) is None  # already published
    assert StatisticsReport.objects.get(period="2026-Q4").content["received"] == "12"


def test_every_quarter_in_one_pass_equals_each_quarter_counted_directly(
    organisation, make_complaint, case_officer
) -> None:
    """The whole history's figures come from one grouped query per figure; each quarter's
    must be what counting that quarter alone gives, at the quarters' edges in local time."""
    from fairhearing.reporting.queries import history_figures

    london = dt.timezone(dt.timedelta(hours=1))  # British Summer Time on 30 September
    placed = [
        # (opened, closed or None, category)
        (dt.datetime(2026, 7, 3, 9, tzinfo=dt.UTC), None, "bullying"),
        # 23:30 UTC on 30 September is 00:30 on 1 October in London: the fourth quarter.
        (dt.datetime(2026, 9, 30, 23, 30, tzinfo=dt.UTC), None, "racism"),
        (dt.datetime(2026, 9, 30, 22, 30, tzinfo=dt.UTC), None, "racism"),  # 23:30 local: Q3
        (
            dt.datetime(2026, 8, 1, 9, tzinfo=dt.UTC),
            dt.datetime(2026, 8, 11, 9, tzinfo=dt.UTC),
            "bullying",
        ),
        (
            dt.datetime(2026, 8, 1, 9, tzinfo=dt.UTC),
            dt.datetime(2026, 10, 3, 9, tzinfo=dt.UTC),
            "racism",
        ),
        (
            dt.datetime(2026, 11, 1, 9, tzinfo=dt.UTC),
            dt.datetime(2027, 1, 5, 9, tzinfo=dt.UTC),
            "bullying",
        ),
        (
            dt.datetime(2026, 11, 2, 9, tzinfo=dt.UTC),
            dt.datetime(2026, 11, 9, 9, tzinfo=dt.UTC),
            "bullying",
        ),
    ]
    for opened, closed, category in placed:
        case = make_complaint(category=category).cases.get()
        changes: dict[str, object] = {"opened_at": opened}
        if closed:
            changes |= {"closed_at": closed, "stage": "closed", "outcome": "no_further_action"}
        Case.objects.filter(pk=case.pk).update(**changes)
    assert dt.datetime(2026, 9, 30, 23, 30, tzinfo=dt.UTC).astimezone(london).month == 10
    quarters = [period_parse(name) for name in ("2026-Q3", "2026-Q4", "2027-Q1", "2027-Q2")]

    together = history_figures(organisation, quarters)

    assert list(together) == [q.name for q in quarters]
    expected: dict[str, tuple[int, int, int, int, float | None]] = {
        # received, by category (bullying, racism), closed, median days to close
        "2026-Q3": (4, 2, 2, 1, 10.0),
        "2026-Q4": (3, 2, 1, 2, (63 + 7) / 2),
        "2027-Q1": (0, 0, 0, 1, 65.0),
        "2027-Q2": (0, 0, 0, 0, None),
    }
    for quarter in quarters:
        figures = together[quarter.name]
        received, bullying, racism, n_closed, median = expected[quarter.name]
        assert figures["received"] == received, quarter.name
        assert figures["by_category"]["Bullying or harassment"] == bullying, quarter.name
        assert figures["by_category"]["Racism"] == racism, quarter.name
        assert figures["closed"] == n_closed == figures["closed_by_staff"], quarter.name
        assert figures["time_to_outcome_days"]["median"] == median, quarter.name
        assert figures == period_figures(organisation, quarter)


def test_publishing_the_history_publishes_each_missing_quarter_once(
    organisation, make_complaint
) -> None:
    from io import StringIO

    from django.core.management import call_command

    from fairhearing.reporting.models import StatisticsReport

    for opened in (
        dt.datetime(2026, 2, 3, 9, tzinfo=dt.UTC),
        dt.datetime(2026, 5, 3, 9, tzinfo=dt.UTC),
        dt.datetime(2026, 5, 4, 9, tzinfo=dt.UTC),
        dt.datetime(2026, 11, 3, 9, tzinfo=dt.UTC),  # this quarter: not full yet
    ):
        Case.objects.filter(pk=make_complaint().cases.get().pk).update(opened_at=opened)
    report_publish(actor=None, organisation=organisation, period=period_parse("2026-Q2"))
    out = StringIO()
    with time_machine.travel(dt.datetime(2026, 11, 20, 12, tzinfo=dt.UTC)):
        call_command("statistics", "publish", "--history", stdout=out)
    published = dict(StatisticsReport.objects.values_list("period", "content"))
    assert sorted(published) == ["2026-Q1", "2026-Q2", "2026-Q3"]
    assert "3 quarters" not in out.getvalue() and "2 quarters published" in out.getvalue()
    assert published["2026-Q1"]["received"] == SMALL and published["2026-Q3"]["empty"]
    with time_machine.travel(dt.datetime(2026, 11, 20, 12, tzinfo=dt.UTC)):
        call_command("statistics", "publish", "--history", stdout=out)
    assert "0 quarters published" in out.getvalue()
    assert StatisticsReport.objects.count() == 3


def _stop(case: Case, status: str, *, asked: dt.datetime, **times: object) -> None:
    """A clock stop of the case's first time limit, as the clock-stop services leave it."""
    from fairhearing.deadlines.models import ClockStop

    ClockStop.objects.create(
        deadline=case.deadlines.all()[0],
        case=case,
        status=status,
        reasons="Respondent in hospital.",
        restart_on=dt.date(2026, 12, 31),
        restarts_at=dt.datetime(2026, 12, 31, tzinfo=dt.UTC),
        requested_at=asked,
        **times,
    )


@pytest.fixture
def stops(quarter) -> None:
    """In 2026-Q4: nine clock stops asked for, of which seven stopped the clock (six ended
    in the quarter, one escalated), one was declined and one awaits approval; and one asked
    for in 2026-Q3 that ended in Q4."""
    asked = dt.datetime(2026, 10, 6, 9, tzinfo=dt.UTC)
    for i, (ending, days) in enumerate(
        [("staff", 2), ("staff", 3), ("date", 10), ("date", 14), ("date", 7), ("closed", 1)]
    ):
        started = asked + dt.timedelta(hours=i)
        _stop(
            quarter[i],
            "ended",
            asked=asked,
            started_at=started,
            ended_at=started + dt.timedelta(days=days),
            ending=ending,
        )
    _stop(
        quarter[6],
        "stopped",
        asked=asked,
        started_at=asked,
        escalated_at=asked + dt.timedelta(days=30),
    )
    _stop(quarter[7], "declined", asked=asked)
    _stop(quarter[8], "requested", asked=asked)
    earlier = dt.datetime(2026, 9, 28, 9, tzinfo=dt.UTC)
    _stop(
        quarter[9],
        "ended",
        asked=earlier,
        started_at=earlier,
        ended_at=earlier + dt.timedelta(days=5),
        ending="date",
    )


def test_clock_stops_match_a_direct_count(organisation, stops) -> None:
    from fairhearing.deadlines.models import ClockStop

    start, end = Q4.bounds()
    figures = period_figures(organisation, Q4)["clock_stops"]
    asked = ClockStop.objects.filter(requested_at__gte=start, requested_at__lt=end)
    assert figures["asked"] == {
        "Clock stopped": asked.filter(started_at__isnull=False).count(),
        "Declined": asked.filter(status="declined").count(),
        "Not decided": asked.filter(status="requested").count(),
    }
    assert sum(figures["asked"].values()) == asked.count() == 9
    ended = ClockStop.objects.filter(ended_at__gte=start, ended_at__lt=end, status="ended")
    assert figures["ended"] == {
        "Restarted by staff": ended.filter(ending="staff").count(),
        "Restarted on its date": ended.filter(ending="date").count(),
        "Ended with the time limit": ended.filter(ending="closed").count(),
    }
    assert sum(figures["ended"].values()) == 7
    assert figures["days_stopped"] == round(sum(s.days_stopped() for s in ended), 1) == 42.0
    assert figures["escalated"] == 1


def test_published_clock_stops_are_suppressed_like_every_table(organisation, stops) -> None:
    from fairhearing.reporting.suppression import Group, Table, attacker_ranges

    content = report_publish(actor=None, organisation=organisation, period=Q4).content
    tables = {t["name"]: t for t in content["tables"]}
    asked, ended = tables["clock_stops_asked"], tables["clock_stops_ended"]
    assert asked["total"] == "9" and ended["total"] == "7"
    assert {r["label"]: r["shown"] for r in asked["rows"]}["Declined"] in {SMALL, "*"}
    # No hidden number can be worked out from what is shown.
    for table, counts in (
        (asked, period_figures(organisation, Q4)["clock_stops"]["asked"]),
        (ended, period_figures(organisation, Q4)["clock_stops"]["ended"]),
    ):
        shown = Table(table["name"], counts, {r["label"]: r["shown"] for r in table["rows"]})
        group = Group([shown], total_shown=table["total"])
        for key, (low, high) in attacker_ranges(group).items():
            hidden = key[1] != "total" and shown.shown[key[1]] in {SMALL, "*"}
            assert not hidden or low < high, key
    assert content["clock_stopped_days"] == {"total": 42.0}
    assert content["clock_stops_escalated"] == SMALL
    page = Client().get(f"/statistics/{Q4.name}/").content.decode()
    assert "Clock stops ended, by how the clock restarted" in page and "42.0" in page


def test_few_clock_stops_do_not_show_their_length(organisation, quarter) -> None:
    asked = dt.datetime(2026, 10, 6, 9, tzinfo=dt.UTC)
    _stop(
        quarter[0],
        "ended",
        asked=asked,
        started_at=asked,
        ended_at=asked + dt.timedelta(days=40),
        ending="staff",
    )
    content = report_publish(actor=None, organisation=organisation, period=Q4).content
    assert content["clock_stopped_days"]["total"] is None
    assert "40" not in str(content["clock_stopped_days"])
