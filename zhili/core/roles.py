"""Roles and what each may do. Roles are stored as Django groups named by their code.

`PERMISSIONS` is the one table of role -> actions; `zhili.core.scope.can` reads it.
Later modules add their actions here.
"""

from django.db import models


class Role(models.TextChoices):
    COUNTY_LEADER = "county_leader", "县领导"
    CENTER_DIRECTOR = "center_director", "综治中心主任"
    DISPATCHER = "dispatcher", "分拨调度员"
    TOWNSHIP_SECRETARY = "township_secretary", "乡镇政法委书记"
    TOWNSHIP_OFFICER = "township_officer", "乡镇综治专干"
    VILLAGE_OFFICER = "village_officer", "村（社区）综治专干"
    GRID_LEADER = "grid_leader", "网格长"
    GRID_WORKER = "grid_worker", "网格员"
    DEPARTMENT_HANDLER = "department_handler", "部门承办人"
    MEDIATOR = "mediator", "调解员"
    PETITION_OFFICER = "petition_officer", "信访干部"
    MEDIATION_CHAIR = "mediation_chair", "调委会主任"
    ANALYST = "analyst", "研判分析员"
    # The head of a handling unit (局长, 主任): approves what the 信访工作条例 reserves to
    # "本机关、单位负责人", e.g. a petition's extension (zhili/petitions/workflow.py HEADS).
    UNIT_HEAD = "unit_head", "单位负责人"
    ADMIN = "admin", "系统管理员"
    # The roles that work with special groups in the people register (zhili/registers/kinds.py
    # KINDS: works_with): they see those role records county-wide, and nothing else there.
    JUDICIAL_OFFICER = "judicial_officer", "司法所工作人员"
    HEALTH_OFFICER = "health_officer", "精防（卫健）人员"
    POLICE_OFFICER = "police_officer", "社区民警"


class Action(models.TextChoices):
    ORGS_VIEW = "orgs.view", "查看组织与人员"
    ORGS_MANAGE = "orgs.manage", "维护组织架构"
    PEOPLE_MANAGE = "people.manage", "管理人员与角色"
    GRIDS_VIEW = "grids.view", "查看网格"
    GRIDS_MANAGE = "grids.manage", "维护网格"
    PERSONAL_DATA_REVEAL = "personal_data.reveal", "查看完整个人信息"
    AUDIT_VIEW = "audit.view", "查看审计日志"
    INTEGRATIONS_MANAGE = "integrations.manage", "管理对接接口密钥"
    CASES_VIEW = "cases.view", "查询事件工单"
    CASES_INTAKE = "cases.intake", "受理登记事件"
    CASES_DISPATCH = "cases.dispatch", "分拨派单与回访"
    CASES_HANDLE = "cases.handle", "承办工单"
    SUPERVISION_VIEW = "supervision.view", "查看与办理督办单"
    CASES_IMPORT = "cases.import", "导入历史工单"
    MOBILE_USE = "mobile.use", "使用网格通（手机）"
    DISPUTES_VIEW = "disputes.view", "查看矛盾纠纷"
    DISPUTES_MEDIATE = "disputes.mediate", "登记与调解矛盾纠纷"
    MEDIATION_MANAGE = "mediation.manage", "管理调委会与调解员"
    PETITIONS_VIEW = "petitions.view", "查看信访事项"
    PETITIONS_HANDLE = "petitions.handle", "办理信访事项"
    PETITIONS_REGISTER = "petitions.register", "登记、转送交办信访事项"
    PETITIONS_APPROVE = "petitions.approve", "审批信访事项延期（单位负责人）"
    RECEPTIONS_MANAGE = "receptions.manage", "安排领导接访"
    RECEPTIONS_RECEIVE = "receptions.receive", "领导接访与包案"
    RECEPTIONS_BOOK = "receptions.book", "为本地信访人预约县领导视频接访"
    KEY_PETITIONERS_VIEW = "key_petitioners.view", "查看重点上访人员"
    CALENDAR_MANAGE = "calendar.manage", "维护节假日安排"
    CAMERAS_VIEW = "cameras.view", "查看监控视频"
    CAMERAS_MANAGE = "cameras.manage", "维护监控点位"
    CAMERA_GROUPS_MANAGE = "camera_groups.manage", "维护监控业务分组"
    FORCES_VIEW = "forces.view", "查看处置力量"
    FORCES_COMMAND = "forces.command", "指挥调度处置力量"
    REGISTERS_VIEW = "registers.view", "查看实有人口"
    REGISTERS_EDIT = "registers.edit", "登记与维护实有人口"
    REGISTERS_JUDICIAL = "registers.judicial", "查看社区矫正与刑满释放人员"
    REGISTERS_HEALTH = "registers.health", "查看严重精神障碍与艾滋病危险人员"
    REGISTERS_POLICE = "registers.police", "查看吸毒人员"
    WARNINGS_VIEW = "warnings.view", "查看与处置预警"
    WARNING_RULES_MANAGE = "warning_rules.manage", "配置预警规则"
    REPORTS_VIEW = "reports.view", "查看研判报告"
    REPORTS_GENERATE = "reports.generate", "生成与下发研判报告"
    INSPECTIONS_VIEW = "inspections.view", "查看督查整改与通报"
    INSPECTIONS_MANAGE = "inspections.manage", "组织督查、下发整改与通报"
    INSPECTIONS_VERIFY = "inspections.verify", "整改复查"
    OPINIONS_VIEW = "opinions.view", "查看网络舆情"
    OPINIONS_KEEP = "opinions.keep", "登记与回应网络舆情"
    PLANS_VIEW = "plans.view", "查看工作计划与任务、报送进展"
    PLANS_MANAGE = "plans.manage", "编制工作计划、记录会议决定"
    ASSESSMENT_VIEW = "assessment.view", "查看考核评价"
    ASSESSMENT_MANAGE = "assessment.manage", "维护考核方案、台账与评定"
    ROOMS_SUPERVISE = "rooms.supervise", "静默督导视频调解、接访与会议"
    TRAINING_MANAGE = "training.manage", "组织网上培训"


_EVERYONE = {Action.ORGS_VIEW, Action.GRIDS_VIEW, Action.CASES_VIEW}
# The case actions mirror the role sets of zhili/cases/workflow.py (INTAKE, DISPATCHERS,
# HANDLERS); a test keeps the two in step.
_INTAKE = {Action.CASES_INTAKE}
_DISPATCH = {Action.CASES_INTAKE, Action.CASES_DISPATCH}
_HANDLE = {Action.CASES_HANDLE}
# Supervision orders: the roles that answer them (case handlers) or close them (dispatchers and
# the county leader), as in zhili/supervision/workflow.py; a test keeps the two in step.
_SUPERVISE = {Action.SUPERVISION_VIEW}
# Mediation (zhili/mediation) and petitions (zhili/petitions, zhili/receptions): the roles in
# their workflow tables hold these actions; tests keep the two in step.
_DISPUTES = {Action.DISPUTES_VIEW}
_MEDIATE = {Action.DISPUTES_VIEW, Action.DISPUTES_MEDIATE}
_PETITIONS = {Action.PETITIONS_VIEW}
_PETITION_WORK = {Action.PETITIONS_VIEW, Action.PETITIONS_HANDLE}
# The heads of handling units approve petition extensions (zhili/petitions/workflow.py HEADS).
_PETITION_HEAD = {Action.PETITIONS_VIEW, Action.PETITIONS_APPROVE}
# The key-petitioner register is for petition staff and leaders only (信访工作条例 on
# protecting petitioners' data): not even the system administrator holds it, and a superuser
# gets it only through one of those roles (ROLE_ONLY, read by zhili.core.scope.can).
_KEY_PETITIONERS = {Action.KEY_PETITIONERS_VIEW}
# The people register (zhili/registers): kept by the grids, villages and townships that hold
# the people, read by the centers and leaders. The special groups' working roles see only the
# role records of their groups (zhili/registers/kinds.py KINDS); those actions, like the
# key-petitioner register, are held through a role only, never by a superuser or the admin.
_REGISTERS = {Action.REGISTERS_VIEW}
_REGISTERS_KEEP = {Action.REGISTERS_VIEW, Action.REGISTERS_EDIT}
_SPECIAL_GROUPS = {Action.REGISTERS_JUDICIAL, Action.REGISTERS_HEALTH, Action.REGISTERS_POLICE}
# Silent supervision of video rooms (静默督导, zhili/rooms/watches.py): watching a mediation or
# a reception unseen is for those who answer for that work in the part of the tree they see:
# the county leader and the center's director, the township secretary, the petition officers
# (the county petition bureau over the townships' receptions) and the mediation committees'
# chairs. Held through a role only: not the administrator, who reviews the watches instead.
_ROOMS_SUPERVISE = {Action.ROOMS_SUPERVISE}
ROLE_ONLY = frozenset(_KEY_PETITIONERS | _SPECIAL_GROUPS | _ROOMS_SUPERVISE)
# Cameras (zhili/video): watched by those on duty for a place, as in a county's 视联平台: the
# center's staff and leaders (the duty desk follows an incident live), township and village
# governance officers (their center's monitoring seat) and grid leaders (checking their grid
# before sending someone), and handlers of departments, who see only what a CameraGrant
# gives their unit (公安局: all). Not grid workers (the phone app, no video), mediators,
# petition officers, analysts or unit heads: watching people is not part of their work.
_CAMERAS = {Action.CAMERAS_VIEW}
# Business groups of cameras (学校周边, 重点路口 ...) are kept by the centers that run a
# monitoring seat: the county center's director and dispatchers, the township centers.
_CAMERA_GROUPS = {Action.CAMERAS_VIEW, Action.CAMERA_GROUPS_MANAGE}
# Forces (zhili/forces): commanded from the centers' desks (the county center's director and
# dispatchers, the township centers) and by a department over its own teams; the county leader
# watches them. Scope narrows each to the teams under its organization.
_FORCES = {Action.FORCES_VIEW}
_COMMAND = {Action.FORCES_VIEW, Action.FORCES_COMMAND}
# Early warnings (zhili/warnings): signed for and answered by the centers (county and
# township) and the departments they go to, closed by the county center; its director and
# analysts set the rules. The roles mirror zhili/warnings/workflow.py; a test keeps them in step.
_WARNINGS = {Action.WARNINGS_VIEW}
_WARNING_RULES = {Action.WARNINGS_VIEW, Action.WARNING_RULES_MANAGE}
# Analysis reports (zhili/reports): generated and sent out (下发) by the county center's
# director, dispatchers and analysts; read by the county's leaders and staff, and by the
# units a report was delivered to (zhili.reports.selectors.report_list: sight is by delivery).
_REPORTS = {Action.REPORTS_VIEW}
_REPORTS_WRITE = {Action.REPORTS_VIEW, Action.REPORTS_GENERATE}
# Online public opinion (zhili/opinions): kept (registered and answered) by the county center's
# director, dispatchers and analysts and the township centers, read by the county leader too.
# The roles mirror zhili/opinions/workflow.py KEEPERS; a test keeps them in step.
_OPINIONS = {Action.OPINIONS_VIEW}
_OPINIONS_KEEP = {Action.OPINIONS_VIEW, Action.OPINIONS_KEEP}
# Inspections and rectification (zhili/inspections): run by the county center's director and
# analysts and the county leader, who also re-check (复查, never in their own unit); the
# centers, departments and villages inspected see and answer their findings and circulars.
# The roles mirror zhili/inspections/workflow.py; a test keeps them in step.
_INSPECTED = {Action.INSPECTIONS_VIEW}
_INSPECT = {Action.INSPECTIONS_VIEW, Action.INSPECTIONS_MANAGE, Action.INSPECTIONS_VERIFY}
# Plans (zhili/plans): drawn up and their meetings recorded by the county center's director,
# dispatchers and analysts and the county leader; seen, started, reported on and completed by
# the units on a task (the centers and the departments). Mirrors zhili/plans/workflow.py.
_PLANS = {Action.PLANS_VIEW}
_PLANS_WRITE = {Action.PLANS_VIEW, Action.PLANS_MANAGE}
# Assessment (zhili/assessment): kept by the county center's director and analysts (scheme,
# computation, manual scores, vetoes, grades); read by the county's leaders and staff and by
# each ranked unit for itself (scope: zhili.assessment.selectors).
_ASSESS = {Action.ASSESSMENT_VIEW}
_ASSESS_WRITE = {Action.ASSESSMENT_VIEW, Action.ASSESSMENT_MANAGE}
# Video reception (视频接访): the township and village centers' staff who take in their
# petitioners (the township's officers and secretary, the village's officer, petition officers
# below the county) book them a slot of the county leader's reception days, to be received
# from their own reception room (zhili/receptions/workflow.py BOOKERS; a test keeps them in step).
_RECEPTION_BOOK = {Action.RECEPTIONS_BOOK}
# Online training (zhili/training): courses are organized by the centers for the staff of the
# units below them (分类指导: the county center's director for the county, the township
# centers for their villages); anyone in a course's audience learns, with no action needed.
# The roles mirror zhili/training/workflow.py ORGANIZERS; a test keeps them in step.
_TRAINING = {Action.TRAINING_MANAGE}


# What a township center's staff do: dispatch and handle in the township, supervise, mediate,
# work petitions, watch its cameras, keep its grids.
_TOWNSHIP_CENTER: set[str] = (
    _EVERYONE
    | _CAMERA_GROUPS
    | _COMMAND
    | {Action.PERSONAL_DATA_REVEAL, Action.GRIDS_MANAGE}
    | _DISPATCH
    | _HANDLE
    | _SUPERVISE
    | _DISPUTES
    | _PETITION_WORK
    | _REGISTERS_KEEP
    | _WARNINGS
    | _REPORTS
    | _INSPECTED
    | _PLANS
    | _OPINIONS_KEEP
    | _TRAINING
    | _RECEPTION_BOOK
)

PERMISSIONS: dict[str, set[str]] = {
    Role.COUNTY_LEADER: _EVERYONE
    | _CAMERAS
    | _FORCES
    | {Action.PERSONAL_DATA_REVEAL, Action.AUDIT_VIEW}
    | _SUPERVISE
    | _DISPUTES
    | _PETITIONS
    | {Action.RECEPTIONS_RECEIVE}
    | _KEY_PETITIONERS
    | _REGISTERS
    | _WARNINGS
    | _REPORTS_WRITE
    | _INSPECT
    | _PLANS_WRITE
    | _OPINIONS
    | _ASSESS
    | _ROOMS_SUPERVISE,
    Role.CENTER_DIRECTOR: _EVERYONE
    | _CAMERA_GROUPS
    | _COMMAND
    | {Action.PERSONAL_DATA_REVEAL, Action.AUDIT_VIEW}
    | _DISPATCH
    | _HANDLE
    | _SUPERVISE
    | _DISPUTES
    | _PETITIONS
    | _PETITION_HEAD
    | _REGISTERS
    | _WARNING_RULES
    | _REPORTS_WRITE
    | _INSPECT
    | _PLANS_WRITE
    | _OPINIONS_KEEP
    | _ASSESS_WRITE
    | _TRAINING
    | _ROOMS_SUPERVISE,
    Role.DISPATCHER: _EVERYONE
    | _CAMERA_GROUPS
    | _COMMAND
    | {Action.PERSONAL_DATA_REVEAL, Action.CASES_IMPORT}
    | _DISPATCH
    | _SUPERVISE
    | _DISPUTES
    | _PETITIONS
    | _REGISTERS
    | _WARNINGS
    | _REPORTS_WRITE
    | _INSPECTED
    | _PLANS_WRITE
    | _OPINIONS_KEEP
    | _ASSESS,
    # The secretary heads the township center: its officers' work, and a head's.
    Role.TOWNSHIP_SECRETARY: _TOWNSHIP_CENTER
    | _PETITION_HEAD
    | {Action.RECEPTIONS_RECEIVE}
    | _KEY_PETITIONERS
    | _ASSESS
    | _ROOMS_SUPERVISE,
    Role.TOWNSHIP_OFFICER: _TOWNSHIP_CENTER | _ASSESS,
    Role.VILLAGE_OFFICER: _EVERYONE
    | _CAMERAS
    | {Action.PERSONAL_DATA_REVEAL}
    | _INTAKE
    | _HANDLE
    | _SUPERVISE
    | _DISPUTES
    | _REGISTERS_KEEP
    | _REPORTS
    | _INSPECTED
    | _RECEPTION_BOOK,
    Role.GRID_LEADER: _EVERYONE
    | _CAMERAS
    | _INTAKE
    | _HANDLE
    | _SUPERVISE
    | {Action.MOBILE_USE}
    | _REGISTERS_KEEP,
    Role.GRID_WORKER: _EVERYONE
    | _INTAKE
    | _HANDLE
    | _SUPERVISE
    | {Action.MOBILE_USE}
    | _REGISTERS_KEEP,
    Role.DEPARTMENT_HANDLER: _EVERYONE
    | _CAMERAS
    | _COMMAND
    | _HANDLE
    | _SUPERVISE
    | _PETITION_WORK
    | _WARNINGS
    | _REPORTS
    | _INSPECTED
    | _PLANS
    | _ASSESS,
    Role.MEDIATOR: _EVERYONE
    | {Action.PERSONAL_DATA_REVEAL}
    | _INTAKE
    | _HANDLE
    | _SUPERVISE
    | _MEDIATE,
    Role.MEDIATION_CHAIR: _EVERYONE
    | {Action.PERSONAL_DATA_REVEAL}
    | _HANDLE
    | _SUPERVISE
    | _MEDIATE
    | {Action.MEDIATION_MANAGE}
    | _ROOMS_SUPERVISE,
    Role.PETITION_OFFICER: _EVERYONE
    | {Action.PERSONAL_DATA_REVEAL}
    | _INTAKE
    | _HANDLE
    | _SUPERVISE
    | _PETITION_WORK
    | {Action.PETITIONS_REGISTER, Action.RECEPTIONS_MANAGE}
    | _RECEPTION_BOOK
    | _KEY_PETITIONERS
    | _ROOMS_SUPERVISE,
    Role.ANALYST: set(_EVERYONE)
    | _DISPUTES
    | _PETITIONS
    | _WARNING_RULES
    | _REPORTS_WRITE
    | _INSPECT
    | _PLANS_WRITE
    | _OPINIONS_KEEP
    | _ASSESS_WRITE,
    Role.UNIT_HEAD: set(_EVERYONE) | _PETITION_HEAD | _REPORTS | _INSPECTED,
    Role.ADMIN: set(Action.values) - ROLE_ONLY,
    Role.JUDICIAL_OFFICER: _EVERYONE | {Action.REGISTERS_JUDICIAL},
    Role.HEALTH_OFFICER: _EVERYONE | {Action.REGISTERS_HEALTH},
    Role.POLICE_OFFICER: _EVERYONE | {Action.REGISTERS_POLICE},
}
