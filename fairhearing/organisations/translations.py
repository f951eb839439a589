"""The built-in rulebook's words that parties read (organisations.default_rulebook), marked
for the translation catalogues: the portal, the anonymous reporter's page and the letters to
parties translate them as they show them, and so do the published statistics and case-file
audit results. An organisation's own rulebook labels need their
own entries in its catalogue; until then they are shown as the rulebook has them."""

from django.utils.translation import gettext_noop

WORDS = [
    # stages
    gettext_noop("Received"),
    gettext_noop("Acknowledged"),
    gettext_noop("Assessment"),
    gettext_noop("Informal resolution"),
    gettext_noop("Notice to respondent"),
    gettext_noop("Investigation"),
    gettext_noop("Charge decision"),
    gettext_noop("Hearing"),
    gettext_noop("Decision"),
    gettext_noop("Awaiting oversight verification"),
    gettext_noop("Appeal window"),
    gettext_noop("Appeal"),
    gettext_noop("Closed"),
    # decisions (transitions)
    gettext_noop("Acknowledge the complaint"),
    gettext_noop("Begin assessment"),
    gettext_noop("Assessment: no further action"),
    gettext_noop("Assessment: offer informal resolution"),
    gettext_noop("Assessment: investigate (send notice of allegations to the respondent)"),
    gettext_noop("Resolved informally"),
    gettext_noop("Informal resolution failed: investigate"),
    gettext_noop("Respondent's reply received: begin investigation"),
    gettext_noop("Reply window ended without reply: begin investigation"),
    gettext_noop("Complete investigation"),
    gettext_noop("Charge decision: no case to answer"),
    gettext_noop("Charge decision: refer to a panel"),
    gettext_noop("Record that the hearing was held"),
    gettext_noop("Decision: allegations upheld, with sanction"),
    gettext_noop("Decision: allegations not upheld"),
    gettext_noop("Appeal lodged"),
    gettext_noop("Appeal window ended without appeal: decision final"),
    gettext_noop("Appeal dismissed: decision stands"),
    gettext_noop("Appeal allowed: decision set aside"),
    gettext_noop("Appeal allowed in part: sanction varied"),
    # a decision as the letter telling of it names it ("The panel has decided: ...")
    gettext_noop("allegations upheld, with sanction"),
    gettext_noop("allegations not upheld"),
    # outcomes
    gettext_noop("No further action after assessment"),
    gettext_noop("No case to answer"),
    gettext_noop("Allegations not upheld"),
    gettext_noop("Upheld; sanction final"),
    gettext_noop("Upheld; appeal dismissed"),
    gettext_noop("Appeal allowed; decision set aside"),
    gettext_noop("Upheld; sanction varied on appeal"),
    # sanctions and their conditions
    gettext_noop("No further action"),
    gettext_noop("Reminder of values"),
    gettext_noop("Reminder of conduct"),
    gettext_noop("Formal warning"),
    gettext_noop("Mandatory education"),
    gettext_noop("Suspension"),
    gettext_noop("Expulsion (with a re-admission bar that ends)"),
    gettext_noop("Complete the equality and conduct course"),
    # time limits (the published statistics' "Time limit: ..." lines)
    gettext_noop("Acknowledge the complaint"),
    gettext_noop("Complete the assessment"),
    gettext_noop("Conclude informal resolution"),
    gettext_noop("Respondent's reply window"),
    gettext_noop("Complete the investigation"),
    gettext_noop("Decide on charges"),
    gettext_noop("Hold the hearing"),
    gettext_noop("Issue the written decision"),
    gettext_noop("Appeal window"),
    gettext_noop("Decide the appeal"),
    gettext_noop("Oversight verifies or vetoes the decision"),
    # the case-file audit's checks (the published audit results)
    gettext_noop("Reasons given for each decision"),
    gettext_noop("Time limits met, or their extension explained"),
    gettext_noop("Notice of the allegations and the evidence disclosed to the respondent"),
    gettext_noop("Conflicts of interest checked for deciders"),
]
