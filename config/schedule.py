"""Periodic jobs run by `zhili scheduler`: (name, every N seconds, task dotted path).

Each slot (job, start of period) is claimed by inserting a row, so two schedulers running at
once never fire the same slot twice. The task itself runs on a worker.
"""

PERIODIC_JOBS: list[tuple[str, int, str]] = [
    ("core.prune_outbox", 24 * 3600, "zhili.core.tasks.prune_outbox"),
    ("core.sync_calendar_library", 6 * 3600, "zhili.core.tasks.sync_calendar_library"),
    ("orgs.expire_tokens", 3600, "zhili.orgs.tasks.expire_idle_tokens"),
    ("cases.sweep_cards", 60, "zhili.cases.tasks.sweep_cards_task"),
    ("integrations.prune_signatures", 3600, "zhili.integrations.tasks.prune_push_signatures"),
    ("integrations.resume_callbacks", 600, "zhili.integrations.tasks.resume_reply_callbacks"),
    ("petitions.sweep_cards", 60, "zhili.petitions.tasks.sweep_petition_cards_task"),
    ("video.sweep_devices", 60, "zhili.video.tasks.sweep_devices_task"),
    ("mediation.sweep_alert_cards", 60, "zhili.mediation.tasks.sweep_alert_cards_task"),
    # Every 15 s: a stream closes between 60 and 75 s after its last viewer left.
    ("video.sweep_live", 15, "zhili.video.tasks.sweep_live_task"),
    ("rooms.sweep", 15, "zhili.rooms.tasks.sweep_rooms_task"),
    # Every 5 s: a push-to-talk hold not renewed lapses (INTERCOM_FLOOR_SECONDS), the speaker muted.
    ("intercom.sweep_floor", 5, "zhili.intercom.tasks.sweep_floor_task"),
    # The big screen's daily figures: today and yesterday rebuilt from the cases.
    ("screen.refresh_figures", 60, "zhili.screen.tasks.refresh_figures_task"),
    # Early warnings: every enabled rule over the recent cases and petitions.
    ("warnings.scan", 600, "zhili.warnings.tasks.scan_warnings_task"),
    # Warnings not answered in time: one 督办单 each (supervision.order_open_once).
    ("warnings.supervise", 600, "zhili.warnings.tasks.supervise_warnings_task"),
    # The 日报 from 07:30 for the day before: each tick makes it if not yet made (a
    # scheduler down at 07:30 makes it at its first tick after).
    ("reports.daily", 300, "zhili.reports.tasks.generate_daily_report"),
    # 回头看: closed cases drawn 30 and 90 days on and checked for recurrence (idempotent).
    ("inspections.lookback", 3600, "zhili.inspections.tasks.lookback_task"),
    # Plan tasks past their due day marked 逾期; each opens one 督办单 (plans.handlers).
    ("plans.sweep", 600, "zhili.plans.tasks.sweep_tasks_task"),
    # The 月分析 from 07:30 on the 1st for the month before, the same way.
    ("reports.monthly", 300, "zhili.reports.tasks.generate_monthly_report"),
    # 考核评分: the running month and quarter, and those just ended until the 5th, computed
    # by the platform into the ledger (zhili/assessment/scheduled.py).
    ("assessment.scores", 3600, "zhili.assessment.tasks.compute_scores_task"),
    ("forces.prune_positions", 24 * 3600, "zhili.forces.tasks.prune_positions_task"),
    (
        "mediation.warn_confirmation_windows",
        3600,
        "zhili.mediation.tasks.warn_confirmation_windows",
    ),
]
