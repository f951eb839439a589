"""Page numbers for long lists without counting every row.

Django's Paginator counts the whole query to number the pages. Over a million cases, with
the access rules in the query, that count took longer than the page itself. `CappedPaginator`
counts at most `cap` + 1 rows (`SELECT COUNT(*) FROM (... LIMIT cap + 1)`): below the cap the
figure is exact; above it, pages are numbered up to the cap and the list says "more than".
A thousand is forty pages of 25: counting ten thousand visible cases took about 100 ms at a
million cases (benchmarks/at_scale.py), and nobody pages that far rather than filter.
"""

from functools import cached_property
from typing import Any

from django.core.paginator import Paginator

CAP = 1_000


class CappedPaginator(Paginator):
    def __init__(
        self,
        object_list: Any,
        per_page: int,
        cap: int | None = None,
        *,
        counted: int | None = None,
        **kwargs: Any,
    ) -> None:
        """`counted`: the capped count when the caller has it already (the case list's queue
        counts, with the same cap), to save the statement."""
        super().__init__(object_list, per_page, **kwargs)
        self.cap = CAP if cap is None else cap
        if counted is not None:
            self.__dict__["count"] = min(counted, self.cap + 1)

    @cached_property
    def count(self) -> int:
        """The number of rows, or `cap` + 1 when there are more than `cap`."""
        rows: Any = self.object_list
        # Only the keys, unordered: the list's annotations (each a subquery per row) and its
        # ordering are for the page shown, not for counting.
        if hasattr(rows, "values"):
            rows = rows.order_by().values("pk")
        return int(rows[: self.cap + 1].count())

    @property
    def capped(self) -> bool:
        """Whether there are more rows than were counted."""
        return self.count > self.cap
