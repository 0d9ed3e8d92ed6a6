"""The demo data (`zhili demo`, zhili/core/management/commands/demo.py): which loaders run, in
which order, and who lists the demo logins at the end. Project-level, like the event handlers
and the schedule: the core command runs what the apps provide without importing them.
"""

# Each loader is `load(*, stdout)`; later modules append theirs. Order matters: a loader may
# rely on what the ones before it wrote.
DEMO_LOADERS = [
    "zhili.orgs.demo.load",
    "zhili.video.demo.load",
    "zhili.cases.demo.load",
    "zhili.supervision.demo.load",
    "zhili.open311.demo.load",
    "zhili.integrations.demo.load",
    "zhili.mediation.demo.load",
    "zhili.mediation.reports.demo.load",
    "zhili.petitions.demo.load",
    "zhili.supervision.demo.load_petition_orders",
    "zhili.receptions.demo.load",
    # Rooms ready to join: a video mediation, a video reception and a meeting.
    "zhili.rooms.demo.load",
    # 网上培训: the county center's course for the township and village centers.
    "zhili.training.demo.load",
    "zhili.forces.demo.load",
    "zhili.incidents.demo.load",
    "zhili.registers.demo.load",
    # Last: the warning rules read the cases and petitions the loaders above wrote.
    "zhili.warnings.demo.load",
    # 舆情: the week's online public opinion, some answered.
    "zhili.opinions.demo.load",
    # 督: a joint inspection with findings at every stage, a circular, the day's 回头看.
    "zhili.inspections.demo.load",
    # This year's plan, its tasks and meetings; the overdue ones open their 督办单.
    "zhili.plans.demo.load",
    # The assessment computes its scores over everything the loaders above wrote.
    "zhili.assessment.demo.load",
    # The big screen's daily figures over the days the loaders above filled.
    "zhili.screen.demo.load",
]

# `logins() -> DemoLogins` (zhili.core.management.commands.demo): the accounts one can log in
# with, printed after loading.
DEMO_LOGINS = "zhili.orgs.demo.logins.demo_logins"
