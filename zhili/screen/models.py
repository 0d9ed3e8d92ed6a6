"""The screen's pre-aggregated figures: one row per day x area x source x category, so that the
screen and the leader's home page sum a few thousand small rows instead of counting cases."""

from django.db import models

from zhili.screen.sources import Source

ALL_CATEGORIES = 0  # a row of every category of its source: all the counts
ALL_SOURCES = ""  # a row of one category over every source: the cases received only


class DailyFigure(models.Model):
    """What happened on one local day to the cases of one organization's subtree (by the
    case's area path, or its dispatching center's when it has no area; a case counts in the
    row of its village, of its township and of the county): per source over all categories
    (category_id 0, every count), and per category over all sources (source "", received
    only: the hot categories). Two kinds of rows rather than area x source x category, whose
    rows grew with the cases (nearly one per case at 3,000 cases a day) and made the 30-day
    sums slow; and a row per subtree rather than per area, so that a screen reads its own
    path's rows alone (the county's 30 days: 120 rows, not 10,000 villages' rows summed).

    Each count dates the case by its own moment: received by registered_at, dispatched by
    dispatched_at, closed (and closed on time) by closed_at, rated (and satisfied) by
    rated_at, red and yellow cards by card_at (the card the case carries now)."""

    day = models.DateField("日期")
    path = models.CharField(max_length=400)
    source = models.CharField("来源", max_length=20, choices=Source.choices, blank=True)
    category_id = models.PositiveIntegerField("事项分类")
    received = models.PositiveIntegerField(default=0)
    dispatched = models.PositiveIntegerField(default=0)
    closed = models.PositiveIntegerField(default=0)
    closed_on_time = models.PositiveIntegerField(default=0)
    rated = models.PositiveIntegerField(default=0)
    satisfied = models.PositiveIntegerField(default=0)
    red_cards = models.PositiveIntegerField(default=0)
    yellow_cards = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = verbose_name_plural = "大屏日统计"
        # A screen's days through its own path (a ranking's: its subunits' paths): the
        # constraint's key; a day's rows (rebuilt by the scheduler, the 14 days of the hot
        # categories) by the day, the path read in the index.
        constraints = [
            models.UniqueConstraint(
                fields=["path", "day", "source", "category_id"], name="screen_daily_once"
            )
        ]
        indexes = [models.Index(fields=["day", "path"], name="screen_daily_day")]

    def __str__(self) -> str:
        return f"{self.day} {self.path} {self.source} {self.category_id}"
