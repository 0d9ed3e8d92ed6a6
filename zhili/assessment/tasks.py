"""Background tasks of the assessment (run by `zhili worker`, fired by the scheduler)."""

from django_tasks import task

from zhili.assessment.scheduled import scores_recompute


@task()
def compute_scores_task() -> dict[str, int]:
    """Every hour: the running month and quarter, and those just ended until the 5th."""
    return scores_recompute()
