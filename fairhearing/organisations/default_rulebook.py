"""The built-in rulebook: the defaults of REQUIREMENTS.md, as data.

An organisation copies it into its own versioned rulebook and may change every value; nothing
else in the code hard-codes a stage, a transition or a time limit.
"""

from typing import Any

CLOSED = "closed"

DEFAULT_RULEBOOK: dict[str, Any] = {
    "name": "Default complaints and disciplinary procedure",
    "calendar": {"country": "GB", "subdivision": "ENG"},
    "stages": [
        {"key": "received", "label": "Received"},
        {"key": "acknowledged", "label": "Acknowledged"},
        {"key": "assessment", "label": "Assessment"},
        {"key": "informal_resolution", "label": "Informal resolution"},
        {"key": "notice", "label": "Notice to respondent"},
        {"key": "investigation", "label": "Investigation"},
        {"key": "charge_decision", "label": "Charge decision"},
        {"key": "hearing", "label": "Hearing"},
        {"key": "decision", "label": "Decision"},
        {"key": "verification", "label": "Awaiting oversight verification"},
        {"key": "appeal_window", "label": "Appeal window"},
        {"key": "appeal", "label": "Appeal"},
        {"key": CLOSED, "label": "Closed"},
    ],
    # Each transition is a decision: it records who, when, the reasons and the rule applied.
    # `outcome` is set on every move to `closed`; `requires` names extra conditions.
    "transitions": [
        {
            "key": "acknowledge",
            "from": "received",
            "to": "acknowledged",
            "label": "Acknowledge the complaint",
        },
        {
            "key": "begin_assessment",
            "from": "acknowledged",
            "to": "assessment",
            "label": "Begin assessment",
        },
        {
            "key": "assess_no_further_action",
            "from": "assessment",
            "to": CLOSED,
            "label": "Assessment: no further action",
            "outcome": "no_further_action",
        },
        {
            "key": "assess_informal_resolution",
            "from": "assessment",
            "to": "informal_resolution",
            "label": "Assessment: offer informal resolution",
        },
        {
            "key": "assess_investigate",
            "from": "assessment",
            "to": "notice",
            "label": "Assessment: investigate (send notice of allegations to the respondent)",
        },
        {
            "key": "informal_resolved",
            "from": "informal_resolution",
            "to": CLOSED,
            "label": "Resolved informally",
            "outcome": "resolved_informally",
        },
        {
            "key": "informal_failed",
            "from": "informal_resolution",
            "to": "notice",
            "label": "Informal resolution failed: investigate",
        },
        {
            "key": "reply_received",
            "from": "notice",
            "to": "investigation",
            "label": "Respondent's reply received: begin investigation",
        },
        {
            "key": "reply_window_elapsed",
            "from": "notice",
            "to": "investigation",
            "label": "Reply window ended without reply: begin investigation",
            "requires": ["deadline_expired:respondent_reply"],
        },
        {
            "key": "complete_investigation",
            "from": "investigation",
            "to": "charge_decision",
            "label": "Complete investigation",
        },
        {
            "key": "charge_no_further_action",
            "from": "charge_decision",
            "to": CLOSED,
            "label": "Charge decision: no case to answer",
            "outcome": "no_case_to_answer",
        },
        {
            "key": "refer_to_panel",
            "from": "charge_decision",
            "to": "hearing",
            "label": "Charge decision: refer to a panel",
        },
        {
            "key": "hearing_held",
            "from": "hearing",
            "to": "decision",
            "label": "Record that the hearing was held",
            "requires": ["hearing_scheduled", "panel_seated:hearing"],
        },
        {
            "key": "decide_upheld",
            "from": "decision",
            "to": "appeal_window",
            "label": "Decision: allegations upheld, with sanction",
            "requires": ["sanction", "panel_vote:hearing"],
        },
        {
            "key": "decide_not_upheld",
            "from": "decision",
            "to": CLOSED,
            "label": "Decision: allegations not upheld",
            "outcome": "not_upheld",
            "requires": ["panel_vote:hearing"],
        },
        {"key": "appeal_lodged", "from": "appeal_window", "to": "appeal", "label": "Appeal lodged"},
        {
            "key": "appeal_window_closed",
            "from": "appeal_window",
            "to": CLOSED,
            "label": "Appeal window ended without appeal: decision final",
            "outcome": "upheld_sanction_final",
            "requires": ["deadline_expired:appeal_window"],
        },
        {
            "key": "appeal_dismissed",
            "from": "appeal",
            "to": CLOSED,
            "label": "Appeal dismissed: decision stands",
            "outcome": "appeal_dismissed",
            "requires": ["panel_vote:appeal"],
        },
        {
            "key": "appeal_allowed",
            "from": "appeal",
            "to": CLOSED,
            "label": "Appeal allowed: decision set aside",
            "outcome": "appeal_allowed",
            "requires": ["panel_vote:appeal"],
        },
        {
            "key": "appeal_sanction_varied",
            "from": "appeal",
            "to": CLOSED,
            "label": "Appeal allowed in part: sanction varied",
            "outcome": "sanction_varied",
            "requires": ["sanction", "panel_vote:appeal"],
        },
    ],
    "outcomes": {
        "no_further_action": "No further action after assessment",
        "resolved_informally": "Resolved informally",
        "no_case_to_answer": "No case to answer",
        "not_upheld": "Allegations not upheld",
        "upheld_sanction_final": "Upheld; sanction final",
        "appeal_dismissed": "Upheld; appeal dismissed",
        "appeal_allowed": "Appeal allowed; decision set aside",
        "sanction_varied": "Upheld; sanction varied on appeal",
    },
    # Working-day limits. `binds` says whose clock it is: an organisation's limit is
    # breached when missed; a respondent's window simply expires.
    "time_limits": [
        {
            "kind": "acknowledge",
            "label": "Acknowledge the complaint",
            "stages": ["received"],
            "working_days": 3,
            "binds": "organisation",
        },
        {
            "kind": "assessment",
            "label": "Complete the assessment",
            "stages": ["acknowledged", "assessment"],
            "working_days": 10,
            "binds": "organisation",
        },
        {
            "kind": "informal_resolution",
            "label": "Conclude informal resolution",
            "stages": ["informal_resolution"],
            "working_days": 20,
            "binds": "organisation",
        },
        {
            "kind": "respondent_reply",
            "label": "Respondent's reply window",
            "stages": ["notice"],
            "working_days": 10,
            "binds": "respondent",
        },
        {
            "kind": "investigation",
            "label": "Complete the investigation",
            "stages": ["investigation"],
            "working_days": 40,
            "binds": "organisation",
        },
        {
            "kind": "charge_decision",
            "label": "Decide on charges",
            "stages": ["charge_decision"],
            "working_days": 10,
            "binds": "organisation",
        },
        {
            "kind": "hearing",
            "label": "Hold the hearing",
            "stages": ["hearing"],
            "working_days": 40,
            "binds": "organisation",
        },
        {
            "kind": "decision",
            "label": "Issue the written decision",
            "stages": ["decision"],
            "working_days": 10,
            "binds": "organisation",
        },
        {
            "kind": "appeal_window",
            "label": "Appeal window",
            "stages": ["appeal_window"],
            "working_days": 15,
            "binds": "respondent",
        },
        {
            "kind": "appeal",
            "label": "Decide the appeal",
            "stages": ["appeal"],
            "working_days": 30,
            "binds": "organisation",
        },
        {
            "kind": "verification",
            "label": "Oversight verifies or vetoes the decision",
            "stages": ["verification"],
            "working_days": 10,
            "binds": "organisation",
        },
    ],
    "hearing_notice_min_working_days": 10,
    # Service by post: a letter to a party without email is treated as received
    # ("served") on this working day after the day it is posted; a time limit that binds the
    # respondent runs from then, never from the decision. UK practice: the second working day
    # (Civil Procedure Rules 6.26, first class post).
    "service_by_post_working_days": 2,
    # Printed at the foot of every letter: how a party without email reaches the case team.
    "letters_contact": "",
    "reminder_percentages": [50, 75, 90],
    # no lifetime bans. Every suspension and every re-admission bar has an end.
    "sanctions": [
        {"key": "no_further_action", "label": "No further action"},
        {"key": "reminder_of_values", "label": "Reminder of values"},
        {"key": "reminder_of_conduct", "label": "Reminder of conduct"},
        {"key": "formal_warning", "label": "Formal warning"},
        {
            "key": "mandatory_education",
            "label": "Mandatory education",
            # Followed up after the decision (issue 23, item 5): each condition is due this
            # many calendar days from the decision; the case team may add others.
            "conditions": [
                {
                    "kind": "course",
                    "label": "Complete the equality and conduct course",
                    "due_days": 90,
                }
            ],
        },
        # max_days: the longest a suspension or re-admission bar may run from the decision.
        {"key": "suspension", "label": "Suspension", "requires_end_date": True, "max_days": 730},
        {
            "key": "expulsion",
            "label": "Expulsion (with a re-admission bar that ends)",
            "requires_end_date": True,
            "max_days": 1826,
        },
    ],
    # Sanction compliance (issue 23, item 5): the person sanctioned is reminded this many
    # days before a condition is due (0: never); the decisions named in `set_aside_by`
    # withdraw the conditions of the sanction they set aside.
    "compliance": {"reminder_days": 14, "set_aside_by": ["appeal_allowed"]},
    # panels of 3 from the independent pool, chaired by a lawyer; quorum of 3.
    "panel": {"size": 3, "quorum": 3, "chair_qualification": "lawyer"},
    # only a panel imposes it, with reasons, a review date and a maximum length.
    "interim_suspension": {"max_days": 90, "review_working_days": 20},
    # R-32 (the ICP model): in these categories a panel's decision takes effect only once
    # oversight verifies it; a veto sends the case to a fresh panel.
    "verification": {
        "stage": "verification",
        "categories": ["racism", "antisemitism", "islamophobia", "sexism", "lgbt", "disability"],
        "transitions": ["decide_upheld", "decide_not_upheld"],
        "veto_returns_to": "hearing",
    },
    "retention_years": 6,
    # Each stage's checklist (issue 21, item 6): what the case team makes sure of before the
    # stage's decision. The next-step panel shows it and how much is done; it never blocks a
    # decision (what a decision needs is in its transition's `requires`).
    "checklists": {
        "assessment": [
            {"key": "code_checked", "label": "Complaint read against the code of conduct"},
            {"key": "conflicts_checked", "label": "Case team checked for conflicts of interest"},
            {
                "key": "conduct_date_checked",
                "label": "Date of the conduct checked against the time limit for charges",
            },
        ],
        "informal_resolution": [
            {"key": "both_agreed", "label": "Both parties agreed to try informal resolution"},
        ],
        "notice": [
            {"key": "notice_sent", "label": "Notice of allegations sent to the respondent"},
            {"key": "evidence_disclosed", "label": "Evidence disclosed to the respondent"},
            {
                "key": "support_offered",
                "label": "Respondent told of support and their right to a companion",
            },
        ],
        "investigation": [
            {"key": "witnesses_asked", "label": "Witnesses identified and asked for statements"},
            {"key": "reply_considered", "label": "Respondent's reply considered"},
            {"key": "report_written", "label": "Investigation report written"},
        ],
        "charge_decision": [
            {"key": "report_reviewed", "label": "Investigation report reviewed"},
            {"key": "rules_set", "label": "Each allegation set against a rule of the code"},
        ],
        "hearing": [
            {"key": "hearing_notice_sent", "label": "Hearing notice sent to the parties"},
            {"key": "bundle_sent", "label": "Hearing bundle sent to the panel and the respondent"},
            {"key": "companion_confirmed", "label": "Respondent's companion confirmed"},
            {"key": "adjustments_asked", "label": "Parties asked about reasonable adjustments"},
        ],
        "appeal": [
            {"key": "grounds_checked", "label": "Grounds of appeal checked against the rulebook"},
            {
                "key": "appeal_panel_independent",
                "label": "Appeal panel independent of the first panel",
            },
        ],
    },
    # a time limit's clock stops only with a second person's approval (any of these
    # roles, other than whoever asked), and with a date, at most `max_days` ahead, on which it
    # restarts by itself; a clock stopped longer than `escalate_after_days` is escalated as a
    # breach is. A rulebook without this setting stops clocks at once, with a restart date.
    "clock_stops": {
        "approval": True,
        "approved_by": ["case_officer", "investigator", "oversight"],
        "max_days": 90,
        "escalate_after_days": 30,
    },
    # no charges about conduct older than this; the decisions that bring charges are the
    # moves into the hearing stage. Oversight, independent of the case team, may allow an
    # exception with reasons; that is a decision of its own, on the record.
    "conduct_time_limit_years": 5,
    "conduct_time_limit_transitions": ["refer_to_panel"],
    "conduct_time_limit_exception": {"decided_by": ["oversight"]},
    # over a rolling year, a category whose median days to outcome differs from
    # every other category's together by more than this share is flagged in the statistics,
    # where each side has at least `min_cases` closed cases.
    "parity": {"threshold_percent": 25, "min_cases": 10},
    # R-52 (issue 23, item 3): each quarter oversight audits a random sample of this many of
    # the cases closed in it (all of them if fewer), against these checks (audits app).
    "audit": {
        "sample_size": 10,
        "checks": [
            {"key": "reasons_given", "label": "Reasons given for each decision"},
            {"key": "time_limits_met", "label": "Time limits met, or their extension explained"},
            {
                "key": "notice_and_evidence_disclosed",
                "label": "Notice of the allegations and the evidence disclosed to the respondent",
            },
            {"key": "conflicts_checked", "label": "Conflicts of interest checked for deciders"},
        ],
    },
    # R-55 (issue 23, item 4): on closure each party with an email address is sent a
    # one-time link to a short confidence survey, anonymous from the case team (surveys app);
    # the link lasts `link_days` days.
    "surveys": {"enabled": True, "link_days": 60},
    # Issue 24: a complainant may send the link to a post from their portal, captured by the
    # worker as staff's captures are, up to `captures_per_day` a day each.
    "evidence": {"complainant_capture": True, "captures_per_day": 5},
    # R-64 (EHRC): the training that must be current before someone joins a case team or is
    # drawn for a panel, by course name; its holder is told `reminder_days` before it expires.
    "training": {
        "case_team": ["Complaints handling"],
        "panel": ["Panel member induction"],
        "reminder_days": 30,
    },
    "categories": [
        {"key": "racism", "label": "Racism"},
        {"key": "antisemitism", "label": "Antisemitism"},
        {"key": "islamophobia", "label": "Islamophobia"},
        {"key": "sexism", "label": "Sexism or misogyny"},
        {"key": "lgbt", "label": "Homophobia, biphobia or transphobia"},
        {"key": "disability", "label": "Disability discrimination"},
        {"key": "bullying", "label": "Bullying or harassment"},
        {"key": "sexual_harassment", "label": "Sexual harassment"},
        {"key": "online_abuse", "label": "Online abuse"},
        {"key": "misconduct", "label": "Other misconduct"},
    ],
    "conduct_definitions": [
        {
            "key": "code_of_conduct",
            "title": "Code of Conduct",
            "version": "2025.1",
            "rules": [
                {"ref": "CC-1.1", "text": "Treat fellow members and the public with respect."},
                {"ref": "CC-1.2", "text": "No discrimination, harassment or bullying."},
                {"ref": "CC-1.3", "text": "No racism, antisemitism or islamophobia, in any form."},
                {
                    "ref": "CC-2.1",
                    "text": "Online conduct, including likes and shares, is "
                    "held to the same standard as conduct in person.",
                },
                {"ref": "CC-3.1", "text": "Do not bring the organisation into disrepute."},
            ],
        },
        {
            "key": "antisemitism_definition",
            "title": "Working definition of antisemitism",
            "version": "2016",
            "adopted_examples": list(range(1, 12)),
        },
    ],
}

# Each decision's standard reasons and the rules that may apply (issue 21: less typing, same
# rigour). The decision form starts from them; the officer edits or replaces the reasons, and
# picks a rule from the list or types another. What is recorded is what the officer sends.
STANDARD_REASONS: dict[str, tuple[str, list[str]]] = {
    "acknowledge": (
        "The complaint was received and its reference sent to the complainant.",
        ["Procedure 2.1: acknowledge every complaint with a reference"],
    ),
    "begin_assessment": (
        "The complaint names a member and conduct the code covers; it is assessed.",
        ["Procedure 3.1: assessment of every acknowledged complaint"],
    ),
    "assess_no_further_action": (
        "Even if what is alleged were proven, it would not breach the code.",
        [
            "Assessment criteria 2(a): no breach even if proven",
            "Assessment criteria 2(b): out of scope",
        ],
    ),
    "assess_informal_resolution": (
        "The conduct alleged is at the lower end and both parties may resolve it informally.",
        ["Assessment criteria 2(d): suitable for informal resolution"],
    ),
    "assess_investigate": (
        "If proven, the conduct alleged would breach the code: the respondent is told the "
        "allegations and may reply.",
        ["Assessment criteria 2(c): a possible breach to investigate"],
    ),
    "informal_resolved": (
        "The parties agreed an informal resolution, recorded on the case.",
        ["Procedure 3.4: informal resolution agreed"],
    ),
    "informal_failed": (
        "Informal resolution was not agreed; the complaint is investigated.",
        ["Procedure 3.5: informal resolution failed"],
    ),
    "reply_received": (
        "The respondent's reply was received within the time allowed.",
        ["Procedure 4.2: the respondent's reply"],
    ),
    "reply_window_elapsed": (
        "The time for the respondent's reply ended without a reply.",
        ["Procedure 4.3: no reply within the time allowed"],
    ),
    "complete_investigation": (
        "The investigation is complete and its report written.",
        ["Procedure 5: investigation"],
    ),
    "charge_no_further_action": (
        "On the evidence gathered there is no realistic prospect of a breach being proven.",
        ["Charging standard: no realistic prospect of a breach being proven"],
    ),
    "refer_to_panel": (
        "On the evidence gathered there is a case to answer; an independent panel hears it.",
        ["Charging standard: a realistic prospect of a breach being proven"],
    ),
    "hearing_held": (
        "The hearing was held; both sides were heard.",
        ["Procedure 6: the hearing"],
    ),
    "decide_upheld": (
        "The panel found the allegations proven on the balance of probabilities.",
        [
            "Code of Conduct CC-1.1",
            "Code of Conduct CC-1.2",
            "Code of Conduct CC-1.3",
            "Code of Conduct CC-2.1",
            "Code of Conduct CC-3.1",
        ],
    ),
    "decide_not_upheld": (
        "The panel did not find the allegations proven on the balance of probabilities.",
        ["Procedure 7: the standard of proof"],
    ),
    "appeal_lodged": (
        "An appeal was received within the time allowed.",
        ["Procedure 8: appeals"],
    ),
    "appeal_window_closed": (
        "The time for an appeal ended without one; the decision is final.",
        ["Procedure 8.1: time for an appeal"],
    ),
    "appeal_dismissed": (
        "No ground of appeal is made out; the decision stands.",
        ["Procedure 8.4: grounds of appeal"],
    ),
    "appeal_allowed": (
        "A ground of appeal is made out; the decision is set aside.",
        ["Procedure 8.4: grounds of appeal"],
    ),
    "appeal_sanction_varied": (
        "The finding stands; the sanction was out of proportion and is varied.",
        ["Procedure 8.5: sanction on appeal"],
    ),
}
for _transition in DEFAULT_RULEBOOK["transitions"]:
    if _transition["key"] in STANDARD_REASONS:
        _transition["reasons"], _transition["rules"] = STANDARD_REASONS[_transition["key"]]
