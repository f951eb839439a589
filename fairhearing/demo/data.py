"""The demo's fixed data: its logins, the invented names and texts, and the paths its cases
take through the rulebook (the benchmark generator follows the same paths)."""

from fairhearing.accounts.models import Role

DEMO_SLUG = "northfield"
DEMO_PASSWORD = "demo-password-2026"  # noqa: S105 - printed for the demo, never in production

# The demo's anonymous report opens with this code (printed by `load_demo`). Chosen, not drawn,
# so that it can be printed every time; real codes come from `secrets`.
DEMO_RECEIPT = "N0RT-HF1E-7D26-DEM0-RECE-1PT5"

DEMO_USERS = [
    ("officer", Role.CASE_OFFICER, "Olwen", "Tarrant"),
    ("officer2", Role.CASE_OFFICER, "Marcus", "Delaney"),
    ("investigator", Role.INVESTIGATOR, "Ivo", "Brandt"),
    ("oversight", Role.OVERSIGHT, "Odile", "Marchetti"),
    ("governing", Role.GOVERNING_BODY, "Gideon", "Farrow"),
    ("admin", Role.ADMINISTRATOR, "Ada", "Whitcombe"),
]

FIRST = [
    "Aled",
    "Bryony",
    "Cormac",
    "Delphine",
    "Eamon",
    "Fenella",
    "Gethin",
    "Halima",
    "Isidore",
    "Jocasta",
    "Kester",
    "Lorna",
    "Mungo",
    "Nerys",
    "Osric",
    "Perpetua",
    "Quentin",
    "Rosalind",
    "Tobias",
    "Ursula",
    "Vikram",
    "Wilhelmina",
    "Xanthe",
    "Yusuf",
]
LAST = [
    "Abernethy",
    "Blackwood",
    "Carraway",
    "Dunmore",
    "Ellery",
    "Fairclough",
    "Garside",
    "Hollins",
    "Illingworth",
    "Jessop",
    "Kilbride",
    "Lockhart",
    "Merriman",
    "Northcott",
    "Oakes",
    "Pennington",
    "Quayle",
    "Ravenscroft",
    "Stanhope",
    "Thistlewood",
]
BRANCHES = ["Ashbourne Central", "Bramley Vale", "Castlegate", "Dunholme North", "Eastmere"]
TEXTS = [
    "Shared a meme mocking people of a particular faith in the branch chat group.",
    "Posted a thread describing a minority community in demeaning terms.",
    "Liked several posts that repeated a conspiracy theory about a minority.",
    "Shouted abuse at a fellow member after a branch meeting.",
    "Sent repeated unwanted messages to a new member.",
    "Re-posted a cartoon that relies on a racist stereotype.",
    "Made remarks about a colleague's disability during a campaign session.",
]

# The main road from a new complaint to its hearing; most demo paths share it.
TO_HEARING = (
    "acknowledge",
    "begin_assessment",
    "assess_investigate",
    "reply_received",
    "complete_investigation",
    "refer_to_panel",
)
ASSESSED = ("acknowledge", "begin_assessment")
DECIDED = (*TO_HEARING, "hearing_held", "decide_upheld")

# Where cases stop, with weights: every stage is represented and every closing outcome.
PATHS: list[tuple[int, tuple[str, ...]]] = [
    (30, ()),
    (25, ("acknowledge",)),
    (30, ASSESSED),
    (40, (*ASSESSED, "assess_no_further_action")),
    (12, (*ASSESSED, "assess_informal_resolution")),
    (20, (*ASSESSED, "assess_informal_resolution", "informal_resolved")),
    (20, (*ASSESSED, "assess_investigate")),
    (25, TO_HEARING[:4]),
    (12, (*ASSESSED, "assess_investigate", "reply_window_elapsed", "complete_investigation")),
    (15, (*TO_HEARING[:5], "charge_no_further_action")),
    (12, TO_HEARING),
    (8, (*TO_HEARING, "hearing_held")),
    (10, (*TO_HEARING, "hearing_held", "decide_not_upheld")),
    (8, DECIDED),
    (12, (*DECIDED, "appeal_window_closed")),
    (6, (*DECIDED, "appeal_lodged")),
    (6, (*DECIDED, "appeal_lodged", "appeal_dismissed")),
    (4, (*DECIDED, "appeal_lodged", "appeal_allowed")),
    (4, (*DECIDED, "appeal_lodged", "appeal_sanction_varied")),
]
# Typical working days each step takes; some cases run late, which makes them overdue.
STEP_DAYS = {
    "acknowledge": 2,
    "begin_assessment": 1,
    "reply_received": 8,
    "reply_window_elapsed": 12,
    "complete_investigation": 30,
    "refer_to_panel": 6,
    "hearing_held": 14,
    "decide_upheld": 7,
    "decide_not_upheld": 7,
    "appeal_window_closed": 16,
    "appeal_lodged": 10,
}
CLOSING_STEPS = {
    "assess_no_further_action",
    "informal_resolved",
    "charge_no_further_action",
    "decide_not_upheld",
    "appeal_window_closed",
    "appeal_dismissed",
    "appeal_allowed",
    "appeal_sanction_varied",
}
WINDOW_STEPS = {"reply_window_elapsed": "respondent_reply", "appeal_window_closed": "appeal_window"}
REASONS = {
    "assess_no_further_action": (
        "The conduct described, even if proven, would not breach the code of conduct.",
        "Assessment criteria 2(a)",
    ),
    "assess_investigate": (
        "The allegation, if proven, would breach the code and there is evidence to investigate.",
        "Assessment criteria 2(c); CC-1.3",
    ),
    "charge_no_further_action": (
        "The evidence does not support a charge.",
        "Charging standard, evidential test",
    ),
    "decide_upheld": (
        "The panel found the allegation proven on the balance of probabilities.",
        "Code of Conduct CC-1.3",
    ),
}

PANEL_POOL = [
    ("lawyer1", "Lavinia", "Ormerod", "lawyer"),
    ("lawyer2", "Leopold", "Szabo", "lawyer"),
    ("lawyer3", "Larissa", "Quenby", "lawyer"),
    ("lawyer4", "Lysander", "Okafor", "lawyer"),
    ("hr1", "Harriet", "Voss", "hr_regulatory"),
    ("hr2", "Hamish", "Tranter", "hr_regulatory"),
    ("hr3", "Henrietta", "Blythe", "hr_regulatory"),
    ("lay1", "Lucian", "Pemberton", "lay"),
    ("lay2", "Linnea", "Ashdown", "lay"),
    ("lay3", "Lowenna", "Trevithick", "lay"),
]
# Ten members, four of them lawyers: whatever the hearing panel's draw, an appeal panel of
# three people not previously involved, chaired by a lawyer, can always be drawn.
