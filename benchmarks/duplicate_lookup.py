"""Duplicate lookup against many existing cases (issue 4 target: 100,000 cases, median under
50 ms).

    DATABASE_URL=postgres://... .venv/bin/python benchmarks/duplicate_lookup.py --cases 100000

Fills an empty, migrated database with N fingerprinted cases (bulk inserts: each case with a
post key and a captured text, its 16 MinHash bands), then times `same_post_case` (the check
every intake makes) and `similar` (near-identical text) for new reports: a third by a known
post's other link, a third by a reworded known text, a third unknown. Prints JSON with medians.
"""

import argparse
import json
import os
import platform
import random
import statistics
import sys
import time

import django


def vocabulary(size: int = 3000) -> list[str]:
    """Pseudo-words: posts drawn from them differ about as much as real posts do."""
    rng = random.Random(0)
    return [
        "".join(
            rng.choice("bcdfghjklmnprstvwz") + rng.choice("aeiou") for _ in range(rng.randint(2, 4))
        )
        for _ in range(size)
    ]


WORDS = vocabulary()


def text_for(i: int) -> str:
    rng = random.Random(i)
    return " ".join(rng.choice(WORDS) for _ in range(30)) + f" number {i}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--lookups", type=int, default=300)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fairhearing.settings")
    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    from fairhearing.cases.models import Case
    from fairhearing.linking import minhash
    from fairhearing.linking.models import Band, Fingerprint
    from fairhearing.linking.queries import same_post_case, similar
    from fairhearing.organisations.services import organisation_create
    from fairhearing.people.models import Person
    from fairhearing.people.services import PersonDetails

    call_command("migrate", verbosity=0)
    if Case.objects.exists():
        sys.exit("refusing to run: the database already has cases")
    with transaction.atomic():
        organisation = organisation_create(actor=None, name="Lookup bench", slug="lookup-bench")
    rulebook = organisation.current_rulebook()
    started = time.perf_counter()
    batch = 5000
    for start in range(0, args.cases, batch):
        stop = min(args.cases, start + batch)
        with transaction.atomic():
            people = Person.objects.bulk_create(
                Person(
                    organisation=organisation, full_name=f"Member {i}", membership_number=f"L{i}"
                )
                for i in range(start, stop)
            )
            cases = Case.objects.bulk_create(
                Case(
                    organisation=organisation,
                    reference=f"L-{i}",
                    rulebook=rulebook,
                    respondent=person,
                    category="bullying",
                    stage="assessment",
                )
                for i, person in zip(range(start, stop), people, strict=True)
            )
            prints = Fingerprint.objects.bulk_create(
                Fingerprint(
                    organisation=organisation,
                    case=case,
                    source="evidence",
                    source_id=i,
                    post_key=f"x.com/member{i}/status/{i}",
                    text=minhash.normalise(text_for(i)),
                )
                for i, case in zip(range(start, stop), cases, strict=True)
            )
            Band.objects.bulk_create(
                (
                    Band(fingerprint=f, band=b, value=v)
                    for i, f in zip(range(start, stop), prints, strict=True)
                    for b, v in minhash.bands(minhash.shingles(text_for(i)))
                ),
                batch_size=10_000,
            )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE")
    fill_seconds = time.perf_counter() - started
    rng = random.Random(7)
    timings: dict[str, list[float]] = {"same_url": [], "same_text": [], "unknown": []}
    found = {k: 0 for k in timings}
    for n in range(args.lookups):
        i = rng.randrange(args.cases)
        kind = ("same_url", "same_text", "unknown")[n % 3]
        details = PersonDetails(full_name=f"Member {i}", membership_number=f"L{i}")
        if kind == "same_url":
            key, text = f"x.com/member{i}/status/{i}", ""
        elif kind == "same_text":
            key, text = "", text_for(i).upper() + "!"
        else:
            key, text = f"x.com/nobody/status/{i}", text_for(args.cases + n)
        started = time.perf_counter()
        match = same_post_case(
            organisation=organisation, respondent=details, post_key=key, post_text=text
        )
        timings[kind].append(time.perf_counter() - started)
        found[kind] += match is not None
    similar_timings = []
    for _ in range(args.lookups // 3):
        started = time.perf_counter()
        similar(organisation, text_for(rng.randrange(args.cases)))
        similar_timings.append(time.perf_counter() - started)
    every = [t for ts in timings.values() for t in ts]
    print(
        json.dumps(
            {
                "benchmark": "duplicate_lookup",
                "database": connection.vendor,
                "cases": args.cases,
                "fill_seconds": round(fill_seconds, 1),
                "median_ms": round(1000 * statistics.median(every), 2),
                "p90_ms": round(1000 * statistics.quantiles(every, n=10)[-1], 2),
                "median_ms_by_kind": {
                    k: round(1000 * statistics.median(v), 2) for k, v in timings.items()
                },
                "found_by_kind": found,
                "similar_median_ms": round(1000 * statistics.median(similar_timings), 2),
                "machine": {"python": platform.python_version(), "cpus": os.cpu_count()},
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    sys.exit(main())
