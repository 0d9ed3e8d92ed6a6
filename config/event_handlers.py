"""The one registry of domain-event handlers: event name -> handler dotted paths.

The outbox worker (zhili.core.outbox) delivers each stored event at least once to every
handler listed here. Handlers must be idempotent; each runs in its own transaction together
with the row that records its delivery, so a handler's database effects happen once.
Events are defined in each app's events.py; handlers in each app's handlers.py.
"""

EVENT_HANDLERS: dict[str, list[str]] = {
    # A year's holidays entered (or learned): open deadlines counted on the provisional
    # calendar are recomputed.
    "core.calendar_changed": [
        "zhili.cases.handlers.recompute_on_calendar_change",
        # After the cases' own: an assisting deadline stays within the lead's new one (the
        # outbox runs an event's handlers in this order, a failed one first on the retry).
        "zhili.cases.handlers.recompute_assists_on_calendar_change",
        "zhili.supervision.handlers.recompute_on_calendar_change",
        "zhili.mediation.handlers.recompute_confirmation_windows",
        "zhili.petitions.handlers.recompute_on_calendar_change",
    ],
    "cases.transitioned": [
        "zhili.cases.handlers.follow_master",
        "zhili.integrations.handlers.reply_on_close",
    ],
    # A case registered as 特急 (with a place) opens a command incident (指挥事件).
    "cases.registered": ["zhili.incidents.handlers.open_for_emergency_case"],
    # A force's status set on its handheld (到场, 处置中 ...) on its open incidents' timelines.
    "forces.status_changed": ["zhili.incidents.handlers.note_force_status"],
    # A live training lesson's room ended: each learner's time in it is their attendance.
    "rooms.transitioned": ["zhili.training.handlers.take_live_attendance"],
    "cases.carded": ["zhili.supervision.handlers.open_order_on_red_card"],
    "petitions.carded": ["zhili.supervision.handlers.open_order_on_petition_red_card"],
    # A plan task marked overdue opens one 督办单 through the supervision app.
    "plans.task_transitioned": ["zhili.plans.handlers.open_order_on_overdue"],
    # A dispute or a petition opened from a case answers it when the dossier closes.
    "mediation.dispute_closed": ["zhili.cases.handlers.answer_from_dossier"],
    "petitions.petition_closed": ["zhili.cases.handlers.answer_from_dossier"],
    # A dispute that may turn criminal or into a group petition alerts the police or the
    # petition center.
    "mediation.risk_flagged": ["zhili.mediation.handlers.open_risk_alert"],
    # A leader's reception of a petition, and a leader's 包案, on the petition's timeline.
    "receptions.reception_recorded": ["zhili.receptions.handlers.note_reception"],
    "receptions.ownership_changed": ["zhili.receptions.handlers.note_ownership"],
    # A finding's points (at issue, doubled at each failed re-check) onto the assessment ledger.
    "inspections.finding_penalized": ["zhili.assessment.handlers.post_finding_deduction"],
    # People registered by a grid: a listed key petitioner waiting for their person gets the
    # role on it (the 重新关联 an officer would otherwise click).
    "registers.people_registered": ["zhili.petitions.handlers.link_key_petitioners"],
    # A new early warning reaches the responsible unit's staff and, red or orange, the
    # leaders above it (a notice each, a live push); each later step reaches the side that
    # acts next.
    "warnings.issued": ["zhili.warnings.handlers.notify_issued"],
    "warnings.transitioned": ["zhili.warnings.handlers.notify_step"],
}
