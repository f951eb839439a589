"""Reads of the confidence surveys: the answers counted by quarter, role, question and level
(for the published statistics and the meeting pack), and oversight's reading of comments."""

import random
from typing import Any

from django.db.models import Count

from .models import QUESTIONS, Answer, Level, Role

# Comments are read by oversight only for a quarter with at least this many answers, and in
# no order: in a quarter of one or two answers, a comment could be matched to a closed case.
MIN_FOR_COMMENTS = 6

# {role: {question: {level: answers}}}, every role, question and level present (0 if none).
Counts = dict[str, dict[str, dict[int, int]]]


def _empty() -> Counts:
    return {
        role: {question: dict.fromkeys(Level.values, 0) for question in QUESTIONS}
        for role in Role.values
    }


def answer_counts(organisation_id: int, periods: list[str]) -> dict[str, Counts]:
    """For each quarter of `periods`, the answers by role, question and level: one grouped
    query, whatever the number of quarters."""
    found = {period: _empty() for period in periods}
    rows: Any = (
        Answer.objects.filter(organisation_id=organisation_id, period__in=periods)
        .values("period", "role", *QUESTIONS)
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in rows:
        by_question = found[row["period"]].get(row["role"])
        if by_question is None:  # a role no longer asked
            continue
        for question in QUESTIONS:
            by_question[question][row[question]] += row["n"]
    return found


def comments_of(organisation_id: int, period: str) -> list[str] | None:
    """The quarter's comments, shuffled, without role or anything else of their answer; None
    if the quarter has fewer than `MIN_FOR_COMMENTS` answers."""
    answers = Answer.objects.filter(organisation_id=organisation_id, period=period)
    if answers.count() < MIN_FOR_COMMENTS:
        return None
    comments = [text for text in answers.values_list("comments", flat=True) if text]
    random.SystemRandom().shuffle(comments)
    return comments


def periods_answered(organisation_id: int, *, before: str) -> list[str]:
    """The quarters before `before` with answers, newest first. Comments are read only once
    their quarter has ended: one appearing the day after a case closed would point at it."""
    return list(
        Answer.objects.filter(organisation_id=organisation_id, period__lt=before)
        .values_list("period", flat=True)
        .distinct()
        .order_by("-period")
    )
