"""Statistics over a large case table (PostgreSQL).

    DATABASE_URL=postgres://... .venv/bin/python benchmarks/statistics_quarter.py --cases 1000000

Fills an empty, migrated database with N fictional cases spread over four years (one SQL
INSERT ... SELECT generate_series, so it is quick), then times the figures for one quarter and
their suppression, several runs, and prints JSON with the medians.
"""

import argparse
import json
import os
import platform
import statistics
import sys
import time

import django


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fairhearing.settings")
    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    from fairhearing.cases.models import Case
    from fairhearing.organisations.services import organisation_create
    from fairhearing.people.models import Person
    from fairhearing.reporting.queries import period_figures, period_parse
    from fairhearing.reporting.services import report_content

    if connection.vendor != "postgresql":
        sys.exit("run this against PostgreSQL (DATABASE_URL)")
    call_command("migrate", verbosity=0)
    if Case.objects.exists():
        sys.exit("refusing to run: the database already has cases")
    with transaction.atomic():
        organisation = organisation_create(actor=None, name="Benchmark League", slug="bench")
    rulebook = organisation.current_rulebook()
    person = Person.objects.create(organisation=organisation, full_name="Fictional Respondent")
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO cases_case (organisation_id, reference, rulebook_id, respondent_id,
                category, stage, stage_entered_at, opened_at, closed_at, outcome, sanction,
                sanction_ends_on,
                hearing_at, hearing_notice_sent_at)
            SELECT %s, 'B-' || g, %s, %s,
                (ARRAY['racism','antisemitism','islamophobia','sexism','lgbt','disability',
                       'bullying','sexual_harassment','online_abuse','misconduct'])[1 + g %% 10],
                CASE WHEN g %% 3 = 0 THEN 'assessment' ELSE 'closed' END,
                now() - (g %% 1460) * interval '1 day',
                now() - (g %% 1460) * interval '1 day',
                CASE WHEN g %% 3 = 0 THEN NULL ELSE now() - (g %% 1460) * interval '1 day'
                     + (g %% 90) * interval '1 day' END,
                CASE WHEN g %% 3 = 0 THEN '' ELSE
                     (ARRAY['no_further_action','resolved_informally','no_case_to_answer',
                            'not_upheld','upheld_sanction_final'])[1 + g %% 5] END,
                '', NULL, NULL, NULL
            FROM generate_series(1, %s) AS g
            """,
            [organisation.pk, rulebook.pk, person.pk, args.cases],
        )
        cursor.execute("ANALYZE cases_case")
    fill_seconds = time.perf_counter() - started
    period = period_parse("2026-Q2")
    timings = []
    for _ in range(args.runs):
        started = time.perf_counter()
        figures = period_figures(organisation, period)
        report_content(figures)
        timings.append(time.perf_counter() - started)
    print(
        json.dumps(
            {
                "benchmark": "statistics_quarter",
                "database": connection.vendor,
                "cases": args.cases,
                "fill_seconds": round(fill_seconds, 1),
                "received_in_quarter": figures["received"],
                "seconds_median": round(statistics.median(timings), 3),
                "seconds_runs": [round(t, 3) for t in timings],
                "machine": f"{platform.machine()} {os.cpu_count()} cores, "
                f"Python {platform.python_version()}",
            }
        )
    )


if __name__ == "__main__":
    main()
