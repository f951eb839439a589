"""Reads of the staff case list: the queues staff work from and their counts, the list's rows
(what is next due, what is overdue), the orders it sorts in, and the lists users keep as saved
views.

The list sits above `cases`, `deadlines` and `oversight` because its queues read all three:
"Awaiting me" is, for the case team, a running time limit that binds the organisation, and,
for oversight, a decision held for their verification."""

import datetime as dt
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import parse_qsl, urlencode

from django.core.exceptions import EmptyResultSet
from django.db import connection, models
from django.db.models import (
    BooleanField,
    Exists,
    F,
    FilteredRelation,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.expressions import OrderBy, RawSQL
from django.db.models.functions import Coalesce
from django.utils import timezone

from fairhearing.accounts.models import CASEWORK_ROLES, User
from fairhearing.cases.models import Assignment, Case
from fairhearing.cases.queries import search_matches
from fairhearing.core.pagination import CAP
from fairhearing.deadlines.models import Deadline
from fairhearing.deadlines.queries import clock_stops_awaiting
from fairhearing.organisations.rulebook import RulebookSpec
from fairhearing.oversight.queries import verifications_awaiting

from .models import SavedView

# The queues, in the order the case list shows them (keys are the `queue` query parameter).
# "Awaiting me": open cases on my team whose next step is the organisation's (a time limit
# that binds us is running: not the respondent's reply window, nor a paused limit), and, for
# oversight, open cases with a decision held for their verification or a clock stop awaiting
# approval. A panel member's votes
# wait on "Your panels" (panels:seats), not here.
QUEUES = {
    "mine": "Assigned to me",
    "awaiting_me": "Awaiting me",
    "due_this_week": "Due this week",
    "overdue": "Overdue",
    "unassigned": "Unassigned",
    "all": "All cases",
}
ALL = "all"
WEEK = dt.timedelta(days=7)
# Queue counts stop where the list's own count does (core/pagination.py): "1,000+".
COUNT_CAP = CAP
C = TypeVar("C", bound=Case)


@dataclass(frozen=True)
class Sort:
    """A column the list sorts by: `key` is the `sort` parameter, `-key` its reverse."""

    key: str
    label: str
    ascending: str  # the order in words, as the table's caption says it
    descending: str
    everywhere: bool  # by an index, in every queue (else only where `sort_offered` says)

    def described(self, descending: bool) -> str:
        """The order in words: "newest first", "by next due, soonest first"."""
        words = self.descending if descending else self.ascending
        return words if self.key == "opened" else f"by {self.label.lower()}, {words}"


SORTS = {
    sort.key: sort
    for sort in (
        Sort("reference", "Reference", "A to Z", "Z to A", everywhere=True),
        Sort("category", "Category", "A to Z", "Z to A", everywhere=False),
        Sort("stage", "Stage", "in the order of the process", "last first", everywhere=False),
        Sort("next_due", "Next due", "soonest first", "latest first", everywhere=False),
        Sort("days_overdue", "Days overdue", "fewest first", "most first", everywhere=False),
        Sort("opened", "Opened", "oldest first", "newest first", everywhere=True),
    )
}
DEFAULT_SORT = "-opened"
# The orders computed for every row of the list before its page (so offered only where the
# list is bounded), by their first term.
COMPUTED = frozenset({"category_position", "stage_position", "next_due_at", "overdue_since"})
SORT_VALUES = tuple(value for key in SORTS for value in (key, f"-{key}"))
# Queues bounded by a caseload, the decisions held, or a week's time limits, not by the number
# of cases: ordering them by a computed column reads a few thousand rows at most.
BOUNDED = ("mine", "awaiting_me", "due_this_week")


def _ours() -> QuerySet[Deadline]:
    """Running time limits that bind the organisation (`deadline_status_due` serves them)."""
    return Deadline.objects.filter(status=Deadline.Status.OPEN, binds=Deadline.Binds.ORGANISATION)


def _on_my_team(user: Any) -> Q:
    return Q(
        Exists(Assignment.objects.filter(case=OuterRef("pk"), user=user, ended_at__isnull=True))
    )


def _windows(now: dt.datetime) -> dict[str, Q]:
    """The time-limit queues: which running limits binding the organisation put a case there."""
    return {
        "due_this_week": Q(due_at__gte=now, due_at__lt=now + WEEK),
        "overdue": Q(due_at__lt=now),
    }


def queue_condition(queue: str, user: Any, now: dt.datetime) -> Q:
    """The cases of `queue` for `user`, open or closed (an unknown queue, or "all", is every
    case)."""
    if queue == "mine":
        return _on_my_team(user)
    if queue == "awaiting_me":
        held = verifications_awaiting(user)
        stops = clock_stops_awaiting(user)
        if held.query.is_empty() and stops.query.is_empty():  # both are oversight's alone
            return _on_my_team(user) & Q(pk__in=_ours().values("case_id"))
        # One set of keys, not an OR of conditions: to test an OR, PostgreSQL read every
        # open case (14 ms at 100,000 cases, for a count of none).
        team = Assignment.objects.filter(
            user=user, ended_at__isnull=True, case_id__in=_ours().values("case_id")
        )
        return Q(
            pk__in=team.values("case_id").union(held.values("case_id"), stops.values("case_id"))
        )
    if window := _windows(now).get(queue):
        return Q(pk__in=_ours().filter(window).values("case_id"))
    if queue == "unassigned":
        return ~Q(Exists(Assignment.objects.filter(case=OuterRef("pk"), ended_at__isnull=True)))
    return Q()


def queue_cases(visible: QuerySet[C], queue: str, user: Any, now: dt.datetime) -> QuerySet[C]:
    """`visible` narrowed to `queue`: every queue but "all" holds open cases only."""
    if queue not in QUEUES or queue == ALL:
        return visible
    return visible.filter(queue_condition(queue, user, now), closed_at__isnull=True)


def _counted(visible: QuerySet[Case], queue: str, user: Any, now: dt.datetime) -> QuerySet[Any]:
    """The rows that count `queue`'s cases, one per case, at most `COUNT_CAP` + 1.

    The time-limit queues are counted from the time limits' side: each case's first such limit
    (no other with a smaller key), read by index, then its case looked up by key and checked
    against `visible`. Counted from the cases' side, PostgreSQL made the case keys of every
    overdue limit unique before it could stop at 1,001 (a hash of 52,000 limits at 100,000
    cases, 31 ms, against 3 ms so)."""
    window = _windows(now).get(queue)
    if window is None:
        rows: QuerySet[Any] = queue_cases(visible, queue, user, now)
    else:
        limits = _ours().filter(window)
        earlier = limits.filter(case=OuterRef("case_id"), pk__lt=OuterRef("pk"))
        rows = limits.exclude(Exists(earlier)).filter(
            Exists(visible.filter(pk=OuterRef("case_id"), closed_at__isnull=True))
        )
    return rows.order_by().values("pk")[: COUNT_CAP + 1]


def queue_counts(visible: QuerySet[Case], user: Any) -> dict[str, int]:
    """How many cases each queue holds, each counted up to `COUNT_CAP` + 1 (`COUNT(*)` over
    `... LIMIT 1001`: past that, counting every row over a million cases would cost more than
    the page). One statement for all six, each count a scalar subquery: a statement costs
    about as much in Python as a small query does in the database."""
    now = timezone.now()
    parts: list[str] = []
    params: list[Any] = []
    for index, queue in enumerate(QUEUES):
        try:
            sql, sql_params = _counted(visible, queue, user, now).query.sql_with_params()
        except EmptyResultSet:  # no case could match (a role that reaches none)
            sql, sql_params = "SELECT 1 WHERE 1 = 0", ()
        # Django's own compiled SQL, its values still parameters.
        parts.append(f"(SELECT COUNT(*) FROM ({sql}) AS queue_{index})")  # noqa: S608
        params.extend(sql_params)
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), params)
        row = cursor.fetchone()
    return {queue: int(count) for queue, count in zip(QUEUES, row, strict=True)}


def sort_parse(value: str) -> tuple[Sort, bool] | None:
    """The column a `sort` parameter names, and whether reversed; None if it names none."""
    sort = SORTS.get(value.removeprefix("-"))
    return None if sort is None else (sort, value.startswith("-"))


def sort_offered(value: str, queue: str, *, searching: bool = False) -> bool:
    """Whether the list sorts `queue` by `value`: what stays cheap at a million cases
    (docs/performance.md, "Sorting the case list"). By reference or date opened in any queue
    (an index each). By category, stage, next due or days overdue only within a `BOUNDED`
    queue, not while searching (which looks through every case): over every case, PostgreSQL
    would compute the column for each before the page. And by days overdue in "Overdue",
    which is read from the time limits' side, by index. Respondents' names are encrypted: the
    database cannot order by them, so the list never does."""
    parsed = sort_parse(value)
    if parsed is None:
        return False
    sort = parsed[0]
    if sort.everywhere:
        return True
    if searching:
        return False
    return queue in BOUNDED or (sort.key == "days_overdue" and queue == "overdue")


def sort_in_force(value: str, queue: str, *, searching: bool = False) -> str:
    """`value` where it is offered, else the default, newest first."""
    return value if sort_offered(value, queue, searching=searching) else DEFAULT_SORT


@dataclass(frozen=True)
class SortKey:
    """One term of the list's order: a field or annotation of its rows, and its direction.
    Blanks (nulls) count as larger than any value: last going up, first going down."""

    name: str
    descending: bool = False
    nullable: bool = False

    def reversed(self) -> "SortKey":
        return SortKey(self.name, not self.descending, self.nullable)

    def expression(self) -> OrderBy:
        field = F(self.name)
        if not self.nullable:
            return field.desc() if self.descending else field.asc()
        return field.desc(nulls_first=True) if self.descending else field.asc(nulls_last=True)


def sort_keys(value: str, queue: str, *, searching: bool = False) -> list[SortKey]:
    """The terms of the order `value` gives the list of `queue` (the default's where it is not
    offered), each a field or annotation of `case_list`'s rows, ending with a unique one (the
    reference, or the key): the API pages through them by keyset."""
    sort, descending = sort_parse(sort_in_force(value, queue, searching=searching)) or (
        SORTS["opened"],
        True,
    )
    newest = [SortKey("opened_at", descending=True), SortKey("pk", descending=True)]
    if sort.key == "days_overdue" and queue == "overdue" and not searching:
        # Fewest days overdue first: the latest first overdue limit first.
        first = [SortKey("first_overdue_at", descending=True), *newest]
    else:
        first = {
            "reference": [SortKey("reference")],
            "opened": [SortKey("opened_at"), SortKey("pk")],
            "category": [SortKey("category_position"), *newest],
            "stage": [SortKey("stage_position"), *newest],
            "next_due": [SortKey("next_due_at", nullable=True), *newest],
            # Not overdue (blank) counts as none: first, then the most recent overdue_since.
            "days_overdue": [SortKey("overdue_since", descending=True, nullable=True), *newest],
        }[sort.key]
    return [key.reversed() for key in first] if descending else first


def _positions(keys: list[str], field: str) -> models.Case | Value:
    """Each key's place in `keys` (a key not there, e.g. from an older rulebook, last)."""
    if not keys:
        return Value(0)
    return models.Case(
        *[models.When(**{field: key}, then=Value(place)) for place, key in enumerate(keys)],
        default=Value(len(keys)),
        output_field=models.IntegerField(),
    )


def _first_overdue_limit(cases: QuerySet[Case], now: dt.datetime) -> QuerySet[Case]:
    """The "Overdue" queue as a join to each case's first overdue time limit binding the
    organisation (`first_overdue_at`, the same instant as `overdue_since`). Ordered by it,
    PostgreSQL reads the limits in order by index (`deadline_status_due`) and stops at the
    page; ordered by `overdue_since`, it computed that for every overdue case first (740 ms
    at 100,000 cases)."""
    first = FilteredRelation(
        "deadlines",
        condition=Q(
            deadlines__status=Deadline.Status.OPEN,
            deadlines__binds=Deadline.Binds.ORGANISATION,
            deadlines__due_at__lt=now,
        ),
    )
    earlier = _ours().filter(
        Q(due_at__lt=OuterRef("first_overdue_at"))
        | Q(due_at=OuterRef("first_overdue_at"), pk__lt=OuterRef("first_overdue_pk")),
        case=OuterRef("pk"),
    )
    # Every reference goes through the two annotations: each further `first_overdue__...`
    # in a filter would join the time limits once more.
    return (
        cases.annotate(first_overdue=first)
        .annotate(
            first_overdue_at=F("first_overdue__due_at"), first_overdue_pk=F("first_overdue__pk")
        )
        .filter(first_overdue_pk__isnull=False, closed_at__isnull=True)
        .exclude(Exists(earlier))
    )


def case_list(
    visible: QuerySet[Case],
    *,
    queue: str = ALL,
    user: Any = None,
    stage: str = "",
    category: str = "",
    overdue: bool = False,
    assignee: str = "",
    search: str = "",
    sort: str = DEFAULT_SORT,
    spec: RulebookSpec | None = None,
    found: set[int] | None = None,
) -> QuerySet[Case]:
    """Filtered cases, each annotated with `is_overdue`, `overdue_since` (the earliest overdue
    limit binding the organisation) and `next_due_at`, in the order of `sort_keys` (newest
    first by default, and wherever `sort` is not offered). A `queue` (for `user`) narrows them
    first; a search looks through every visible case, whatever the queue. Categories sort by
    their labels and stages in the order of the process, both as `spec` (the organisation's
    rulebook) has them."""
    now = timezone.now()
    running = Deadline.objects.filter(case=OuterRef("pk"), status=Deadline.Status.OPEN)
    overdue_now = running.filter(due_at__lt=now, binds=Deadline.Binds.ORGANISATION)
    queryset: QuerySet[Case] = visible.select_related("respondent").annotate(
        # Scalar subqueries with LIMIT 1, not EXISTS or MIN over a join: they run for the
        # page's rows only, after LIMIT. As an EXISTS, PostgreSQL hashed every overdue time
        # limit of the organisation to mark 25 rows; a join would group every visible case
        # (benchmarks/case_list.py, benchmarks/at_scale.py).
        is_overdue=Coalesce(
            Subquery(overdue_now.annotate(yes=Value(True)).values("yes")[:1]),
            Value(False),
            output_field=BooleanField(),
        ),
        next_due_at=Subquery(running.order_by("due_at").values("due_at")[:1]),
        overdue_since=Subquery(overdue_now.order_by("due_at").values("due_at")[:1]),
    )
    if user is None:
        queue = ALL
    searching = bool(search)
    keys = sort_keys(sort, queue, searching=searching)
    if not searching and keys[0].name == "first_overdue_at":
        queryset = _first_overdue_limit(queryset, now)
    elif not searching:
        queryset = queue_cases(queryset, queue, user, now)
    names = {key.name for key in keys}
    if "category_position" in names:
        labels = (spec.categories if spec else {}).items()
        ordered = [key for key, label in sorted(labels, key=lambda item: item[1].casefold())]
        queryset = queryset.annotate(category_position=_positions(ordered, "category"))
    if "stage_position" in names:
        stages = list(spec.stage_labels) if spec else []
        queryset = queryset.annotate(stage_position=_positions(stages, "stage"))
    if stage:
        queryset = queryset.filter(stage=stage)
    if category:
        queryset = queryset.filter(category=category)
    if overdue:
        queryset = queryset.filter(Exists(overdue_now))
    if assignee == "unassigned":
        queryset = queryset.exclude(
            Exists(Assignment.objects.filter(case=OuterRef("pk"), ended_at__isnull=True))
        )
    elif assignee and not (assignee.isascii() and assignee.isdigit() and len(assignee) <= 18):
        queryset = queryset.none()  # not a user id (nor one that fits a database integer)
    elif assignee:
        queryset = queryset.filter(
            Exists(
                Assignment.objects.filter(
                    case=OuterRef("pk"), user_id=assignee, ended_at__isnull=True
                )
            )
        )
    if search:
        # The cases `found` by the search, when the caller has looked them up
        # (`search_found`), else those `search_matches` gives in the user's organisation.
        if found is None:
            found = search_matches(search, organisation_id=user.organisation_id) if user else set()
        queryset = queryset.filter(pk__in=found)
    if keys[0].name in COMPUTED:
        # Every row of the queue is read before the page: not its respondent too (a second
        # query fetches the page's, a quarter less time over a week's 4,300 cases).
        queryset = queryset.select_related(None).prefetch_related("respondent")
    return queryset.order_by(*(key.expression() for key in keys))


class RankedByNextDue:
    """The "Due this week" queue sorted by next due, ranked from the time limits' side: the
    week's cases each with its next due, read from the time limits alone and sorted, then
    joined to their cases in that order, each checked against the list's other conditions,
    until the page is full. `case_list` orders the same rows the same way, but PostgreSQL
    there looks up every case of the week (4,300 at a million cases) before it sorts: 36 ms,
    against 12 ms so (docs/performance.md, "Due this week at a million"). The Django ORM
    cannot put a query in FROM; the statement below is assembled from its compiled SQL, as
    `queue_counts`'s is, every value a parameter.

    Slices like a query set for the paginator (`rows[a:b]`, a list of `rows`' cases); the
    count is the queue's, from `queue_counts`."""

    def __init__(self, rows: QuerySet[Case], *, descending: bool) -> None:
        self.rows, self.descending = rows, descending
        self.now = timezone.now()

    def count(self) -> int:
        return int(self.rows.order_by().values("pk")[: CAP + 1].count())

    def __len__(self) -> int:
        return self.count()

    def _page_keys(self, offset: int, limit: int) -> list[int]:
        week = _ours().filter(_windows(self.now)["due_this_week"])
        cases = week.order_by().values("case_id").distinct()
        first = (
            Deadline.objects.filter(case_id=RawSQL("week.case_id", ()), status=Deadline.Status.OPEN)
            .order_by("due_at")
            .values("due_at")[:1]
        )
        wanted = self.rows.order_by().filter(pk=RawSQL("ranked.case_id", ())).values("pk")
        try:
            cases_sql, cases_params = cases.query.sql_with_params()
            first_sql, first_params = first.query.sql_with_params()
            wanted_sql, wanted_params = wanted.query.sql_with_params()
        except EmptyResultSet:
            return []
        # Next due is never blank here: each case of the week has a time limit running.
        later, earlier = ("DESC", "ASC") if self.descending else ("ASC", "DESC")
        case_table = connection.ops.quote_name(Case._meta.db_table)
        sql = (
            f"SELECT ranked.case_id FROM ("  # noqa: S608 (Django's compiled SQL, values as parameters)
            f"SELECT week.case_id, ({first_sql}) AS next_due FROM ({cases_sql}) AS week "
            f"ORDER BY next_due {later}) AS ranked "
            f"INNER JOIN {case_table} AS listed ON listed.id = ranked.case_id "
            f"WHERE EXISTS ({wanted_sql} LIMIT 1 OFFSET 0) "
            f"ORDER BY ranked.next_due {later}, listed.opened_at {earlier}, listed.id {earlier} "
            f"LIMIT %s OFFSET %s"
        )
        params = [*first_params, *cases_params, *wanted_params, limit, offset]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return [key for (key,) in cursor.fetchall()]

    def __getitem__(self, index: slice) -> list[Case]:
        if not isinstance(index, slice) or index.step is not None:
            raise TypeError("a page of the ranked list is a slice")
        offset = index.start or 0
        keys = self._page_keys(offset, max(0, (index.stop or offset) - offset))
        found = {case.pk: case for case in self.rows.filter(pk__in=keys).order_by()}
        return [found[key] for key in keys if key in found]


# What a saved view keeps of the list's query: the queue, the filters and the sort. Never a
# search (it may be a person's name), nor a page.
SAVED_PARAMS = ("queue", "stage", "category", "assignee", "overdue", "sort")
SAVED_VALUE_MAX = 60
SAVED_VIEWS_MAX = 20


def saved_query_clean(query: str) -> str:
    """`query` as a saved view keeps it: only `SAVED_PARAMS`, each once and not blank, a known
    queue and sort only, in a fixed order (so the same list is always the same string). The
    filters' values are checked by the list's form when the view is opened, as any address's
    are."""
    kept: dict[str, str] = {}
    for name, value in parse_qsl(query):
        if name not in SAVED_PARAMS or name in kept or len(value) > SAVED_VALUE_MAX:
            continue
        if (name == "queue" and value not in QUEUES) or (
            name == "sort" and (sort_parse(value) is None or value == DEFAULT_SORT)
        ):
            continue
        kept[name] = value
    return urlencode([(name, kept[name]) for name in SAVED_PARAMS if name in kept])


def caseworkers(organisation_id: int) -> list[User]:
    """The organisation's case officers and investigators, those whose account is closed too
    (someone who has left may still be on case teams, to be replaced)."""
    return list(
        User.objects.filter(organisation_id=organisation_id, role__in=CASEWORK_ROLES).order_by(
            "first_name", "username"
        )
    )


def assignees(organisation_id: int) -> list[User]:
    """Who the list's "Assigned to" filter offers: the organisation's active caseworkers."""
    return list(
        User.objects.filter(
            organisation_id=organisation_id, role__in=CASEWORK_ROLES, is_active=True
        ).order_by("first_name", "username")
    )


def saved_views_of(user: Any) -> QuerySet[SavedView]:
    return SavedView.objects.filter(user=user).order_by("name", "pk")
