"""Demo data for evidence, duplicates and dossiers (all fictional): a post reported by many
people and grouped into one case, captured with a screenshot; a respondent's reply with a file;
a dossier from a campaign group with accepted, duplicate and rejected rows; and cases linked
and merged by staff."""

import csv
import io
import random
from typing import Any

from django.utils import timezone
from PIL import Image, ImageDraw

from fairhearing.accounts.models import User
from fairhearing.cases.models import AllegationType, Case, Channel, Party
from fairhearing.cases.services import party_protect_identity
from fairhearing.dossiers.importing import dossier_import
from fairhearing.dossiers.read import COLUMNS
from fairhearing.dossiers.services import dossier_receive
from fairhearing.evidence.derivative import Area
from fairhearing.evidence.services import (
    Upload,
    evidence_add_file,
    evidence_add_post,
    evidence_redact,
)
from fairhearing.intake.details import AllegationDetails
from fairhearing.intake.record import complaint_record
from fairhearing.linking.services import case_link, case_merge
from fairhearing.organisations.models import Organisation
from fairhearing.people.models import person_hash
from fairhearing.people.services import PersonDetails
from fairhearing.portal.services import reply_submit

VIRAL_URL = "https://x.com/HaldenVoice/status/1882003141"
VIRAL_TEXT = (
    "Funny how the Eastgate branch only fills up with 'new members' before a selection. "
    "We all know which community is bussed in to vote. Time we took our party back."
)
REPORTERS = [
    "Ines Farrow",
    "Tobias Quaid",
    "Marisol Penhale",
    "Ezra Whitcombe",
    "Nadia Corran",
    "Felix Amadi",
]
LINK_VARIANTS = [
    VIRAL_URL,
    "https://twitter.com/haldenvoice/status/1882003141?s=20",
    "https://mobile.twitter.com/HaldenVoice/status/1882003141/",
    "http://x.com/haldenvoice/status/1882003141",
    "https://www.x.com/HaldenVoice/status/1882003141?utm_source=share",
    "https://twitter.com/HaldenVoice/status/1882003141#reply",
]
RESPONDENT = PersonDetails(full_name="Corwin Halden", membership_number="NCL-90417", is_member=True)


def screenshot(text: str) -> bytes:
    """A plain PNG standing in for a screenshot of the post."""
    image = Image.new("RGB", (640, 200), "white")
    draw = ImageDraw.Draw(image)
    draw.text((16, 16), "@HaldenVoice", fill="black")
    for line_no, start in enumerate(range(0, len(text), 80)):
        draw.text((16, 48 + 18 * line_no), text[start : start + 80], fill="black")
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def _report(organisation: Organisation, name: str, url: str, rng: random.Random) -> Case:
    complaint = complaint_record(
        actor=None,
        organisation=organisation,
        channel=Channel.WEB,
        complainant=PersonDetails(
            full_name=name, email=f"{name.split()[0].lower()}@example.invalid"
        ),
        respondents=[RESPONDENT],
        allegation=AllegationDetails(
            allegation_type=AllegationType.POST,
            category="racism",
            description=rng.choice(
                [
                    "This post suggests members of one community are bussed in to vote.",
                    "A councillor's post about 'taking the party back' from a community.",
                    "Please look at this post: it targets our branch's Asian members.",
                ]
            ),
            url=url,
        ),
        summary="Reported the same post.",
    )
    return complaint.cases.get()


def _dossier_csv(rng: random.Random) -> bytes:
    rows: list[dict[str, str]] = []
    people = [
        ("Ottilie Brannagh", "NCL-51020", "Eastgate"),
        ("Piers Lanyon", "NCL-51177", "Riverside"),
        ("Quentin Marlowe", "", "Harbour"),
        ("Rosalind Tewes", "NCL-51301", "Eastgate"),
        ("Sefton Abernethy", "NCL-51388", "Millbrook"),
    ]
    posts = [
        "Another branch meeting hijacked by the same crowd. They do not belong in this party.",
        "If you defend those people you are part of the problem. Name and shame them all.",
        "Shared a cartoon mocking a religious festival with the caption 'coming to your ward'.",
        "Said the new women's officer only got the job to tick a box.",
        "Called a disabled member 'a drain on the branch' in a public thread.",
    ]
    for index in range(18):
        name, number, branch = people[index % len(people)]
        rows.append(
            {
                "respondent_name": name,
                "respondent_membership_number": number,
                "respondent_branch": branch,
                "category": rng.choice(["racism", "bullying", "sexism", "disability"]),
                "allegation_type": "post",
                "conduct_date": f"2025-{1 + index % 12:02d}-{1 + index:02d}",
                "url": f"https://x.com/{name.split()[0].lower()}{index}/status/{5000 + index}",
                "author_handle": name.split()[0].lower(),
                "posted_at": f"2025-{1 + index % 12:02d}-{1 + index:02d}T20:15",
                "post_text": posts[index % len(posts)] + f" (post {index})",
                "description": "Collected by our volunteers from public social media.",
                "their_reference": f"CFB-{300 + index}",
            }
        )
    # The viral post again (a duplicate of the open case), one row repeated, and bad rows.
    rows.append(
        {
            "respondent_name": "Corwin Halden",
            "respondent_membership_number": "NCL-90417",
            "category": "racism",
            "url": LINK_VARIANTS[1],
            "post_text": VIRAL_TEXT,
            "description": "The Eastgate post, reported to us by eleven members.",
            "their_reference": "CFB-400",
        }
    )
    rows.append(dict(rows[2], their_reference="CFB-401"))
    rows.append({"respondent_name": "", "category": "racism", "description": "No name given."})
    rows.append(
        {"respondent_name": "Tamsin Rook", "category": "rudeness", "description": "Rude to us."}
    )
    rows.append(
        {
            "respondent_name": "Ulric Penrose",
            "category": "bullying",
            "conduct_date": "2031-01-01",
            "description": "Date typed wrongly.",
        }
    )
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def evidence_demo(organisation: Organisation, users: dict[str, User], rng: random.Random) -> Any:
    officer = users["officer"]
    viral = [
        _report(organisation, name, url, rng)
        for name, url in zip(REPORTERS, LINK_VARIANTS, strict=True)
    ]
    case = viral[0]
    evidence_add_post(
        actor=officer,
        case=case,
        url=VIRAL_URL,
        author_handle="HaldenVoice",
        captured_text=VIRAL_TEXT,
        screenshot=Upload("haldenvoice-post.png", screenshot(VIRAL_TEXT)),
        description="Captured by the case officer on receipt of the first report.",
    )
    evidence_add_file(
        actor=officer,
        case=case,
        upload=Upload(
            "branch-membership-note.txt",
            b"Eastgate branch: 14 new members joined in March, all by the usual route.\n",
        ),
        description="Note from the branch secretary on membership numbers.",
    )
    _redacted_screenshot(case, officer)
    _reply_with_a_file(organisation)
    dossier, _ = dossier_receive(
        actor=officer,
        organisation=organisation,
        source_name="Campaign for Fair Branches",
        filename="cfb-dossier-march.csv",
        data=_dossier_csv(rng),
    )
    dossier_import(dossier=dossier, actor=officer)
    # Two of the dossier's cases are about the same member: one link, one merge.
    same = list(
        Case.objects.filter(
            organisation=organisation,
            respondent__membership_number_hash=person_hash("membership_number", "NCL-51020"),
        ).order_by("pk")
    )
    if len(same) >= 3:
        case_link(
            actor=officer,
            case=same[0],
            other=same[1],
            reasons="Same member, posts a week apart: to be heard together.",
        )
        case_merge(
            actor=officer,
            case=same[0],
            other=same[2],
            reasons="The same thread, captured twice by the campaign's volunteers.",
        )
    return dossier


GROUP_CHAT = [
    ("Eastgate branch group", ""),
    ("Ines Farrow:", "I have reported Corwin's post to the party."),
    ("Corwin Halden:", "Whoever reported it will regret it."),
    ("Ansel Brook:", "Let's keep this civil, everyone."),
]
# Where "Ines Farrow:" is drawn on the screenshot (fractions of its width and height).
INES_BOX = Area(page=1, left=0.0, top=0.26, width=0.22, height=0.2)


def _group_chat() -> bytes:
    image = Image.new("RGB", (640, 200), "white")
    draw = ImageDraw.Draw(image)
    for line_no, (who, said) in enumerate(GROUP_CHAT):
        y = 16 + 44 * line_no
        draw.text((16, y), who, fill="black")
        draw.text((150, y), said, fill="black")
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def _redacted_screenshot(case: Case, officer: User) -> None:
    """Ines Farrow, one of the people who reported the post, asked not to be named to the
    respondent; her name in the branch group's screenshot is covered in the copy his bundle
    holds (the panel's bundle keeps the original)."""
    complainants = case.parties.filter(role=Party.Role.COMPLAINANT).select_related("person")
    (ines,) = [p for p in complainants if p.person.full_name == "Ines Farrow"]
    party_protect_identity(
        actor=officer, party=ines, reason="She fears reprisals in the branch group."
    )
    item = evidence_add_file(
        actor=officer,
        case=case,
        upload=Upload("branch-group.png", _group_chat()),
        description="Screenshot of the branch group chat, sent by a complainant.",
    )
    evidence_redact(
        actor=officer,
        item=item,
        areas=[INES_BOX],
        phrases=[],
        reasons="The complainant who wrote this message asked not to be named to the respondent.",
    )


REPLY_TEXT = (
    "I did not write the post. My account was signed in on the branch office computer that "
    "week, and the log I attach shows the sign-ins from there."
)
REPLY_FILE = (
    b"Sign-ins to the account, as the platform lists them\n"
    b"3 March, 09:12, Eastgate branch office\n"
    b"3 March, 13:40, Eastgate branch office\n"
)


def _reply_with_a_file(organisation: Organisation) -> None:
    """The respondent of the oldest case still open for their reply answers, with a file."""
    case = (
        Case.objects.filter(
            organisation=organisation,
            stage="notice",
            deadlines__kind="respondent_reply",
            deadlines__status="open",
            deadlines__due_at__gt=timezone.now(),
        )
        .order_by("pk")
        .first()
    )
    if case is not None:
        reply_submit(
            case=case,
            person=case.respondent,
            role="respondent",
            text=REPLY_TEXT,
            uploads=[Upload("sign-in-log.txt", REPLY_FILE)],
        )
