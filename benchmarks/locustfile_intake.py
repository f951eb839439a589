"""Locust users for benchmarks/intake_load.py: each submits complaints back to back.

Run by intake_load.py with .bench-venv's locust; told what to drive by the environment:
LOAD_TARGET (`fairhearing`: POST /api/v1/complaints; `helpdesk`: POST /api/tickets/),
LOAD_TOKEN (the API token) and, for helpdesk, LOAD_QUEUE (the queue's id). Every request
names new people, so each one records what a new complaint records. A response other than
201 is a failure.
"""

import itertools
import os
import uuid

from locust import FastHttpUser, constant, task

TARGET = os.environ.get("LOAD_TARGET", "fairhearing")
TOKEN = os.environ.get("LOAD_TOKEN", "")
QUEUE = int(os.environ.get("LOAD_QUEUE", "0") or 0)
# Fairhearing with `Prefer: respond-async`: accepted (202) and recorded by the worker.
QUEUED = bool(os.environ.get("LOAD_ASYNC"))
DESCRIPTION = (
    "Re-shared a post blaming a minority for the branch's troubles, and repeated it at the "
    "meeting on 3 March when asked to take it down."
)
_numbers = itertools.count(1)


class Submitter(FastHttpUser):
    wait_time = constant(0)

    @task
    def submit(self) -> None:
        n = next(_numbers)
        tag = uuid.uuid4().hex[:8]
        if TARGET == "helpdesk":
            path, auth = "/api/tickets/", f"Token {TOKEN}"
            body = {
                "queue": QUEUE,
                "title": f"Complaint about Respondent {tag}",
                "description": DESCRIPTION,
                "submitter_email": f"complainant-{n}-{tag}@example.invalid",
                "priority": 3,
            }
        else:
            path, auth = "/api/v1/complaints", f"Bearer {TOKEN}"
            body = {
                "complainant": {
                    "full_name": f"Complainant {tag}",
                    "email": f"complainant-{n}-{tag}@example.invalid",
                },
                "respondents": [{"full_name": f"Respondent {tag}", "membership_number": tag}],
                "allegation": {
                    "allegation_type": "share",
                    "category": "antisemitism",
                    "description": DESCRIPTION,
                    "conduct_date": "2026-03-03",
                },
            }
        with self.client.post(
            path,
            json=body,
            headers={"Authorization": auth, **({"Prefer": "respond-async"} if QUEUED else {})},
            name="intake",
            catch_response=True,
        ) as response:
            if response.status_code != (202 if QUEUED and TARGET != "helpdesk" else 201):
                response.failure(f"{response.status_code}: {(response.text or '')[:200]}")
