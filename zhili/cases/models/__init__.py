"""The one queue: cases (事件/工单), the dispatch catalog, responsibility rules, time limits.

The models live by area (`choices`, the dispatch `catalog`, the `case` with its assisting
units' tasks, its `records` (timeline, attachments) and its indexed `text` with the likely
duplicates); every one of them is importable from here, as before the split.
"""

from zhili.cases.models.case import AssistState, Case, CaseAssist
from zhili.cases.models.catalog import CATEGORY_STAMP, Category, ResponsibilityRule, TimeLimit
from zhili.cases.models.choices import (
    WORK_STATES,
    Card,
    Channel,
    LimitUnit,
    Rating,
    State,
    Urgency,
)
from zhili.cases.models.records import CaseAttachment, CaseEvent, attachment_path
from zhili.cases.models.text import CaseDuplicate, CaseText, DuplicateState

__all__ = [
    "CATEGORY_STAMP",
    "WORK_STATES",
    "AssistState",
    "Card",
    "Case",
    "CaseAssist",
    "CaseAttachment",
    "CaseDuplicate",
    "CaseEvent",
    "CaseText",
    "Category",
    "Channel",
    "DuplicateState",
    "LimitUnit",
    "Rating",
    "ResponsibilityRule",
    "State",
    "TimeLimit",
    "Urgency",
    "attachment_path",
]
