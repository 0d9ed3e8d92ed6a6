"""What the import announces: one event per finished import job, never one per case."""

from dataclasses import dataclass

from zhili.core.events import DomainEvent


@dataclass(frozen=True)
class CasesImported(DomainEvent):
    name = "imports.cases_imported"

    job_id: int
    created: int
    skipped: int
