"""Watch time (观看时长) from what the player says it played. Pure Python.

The lesson page sends, every few seconds, the stretches of the video its player has played
since the page was opened (the HTML media element's `played` ranges: cumulative, so a beat
that was lost or cut is made good by the next). The platform keeps, per person and lesson,
the union of all of them: a part watched twice counts once, a jump forward counts nothing.

What a beat may add is bounded by the time that passed since the person's previous beat
(`allowance`): a page cannot claim an hour of a lesson in one request. What is over the
allowance is left out of this beat and counted when a later one brings it again.
"""

from collections.abc import Iterable, Sequence

Span = tuple[float, float]

# A beat may add the wall time since the previous beat at up to this speed, plus a margin for
# the beats' own delay (the page beats every 10 s; the first beat has no previous one).
MAX_SPEED = 1.25
MARGIN_S = 12.0


def merge(spans: Iterable[Sequence[float]]) -> list[Span]:
    """The sorted, disjoint union of the spans (touching spans joined)."""
    out: list[Span] = []
    for start, end in sorted((float(a), float(b)) for a, b in spans if b > a):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


def length(spans: Iterable[Span]) -> float:
    return sum(end - start for start, end in spans)


def clamp(spans: Iterable[Sequence[float]], duration: float) -> list[Span]:
    """The spans cut to the video's length [0, duration]."""
    return merge((max(0.0, a), min(duration, b)) for a, b in spans)


def _new_parts(old: list[Span], played: list[Span]) -> list[Span]:
    """What of `played` is not in `old` (both merged), in order."""
    out: list[Span] = []
    for start, end in played:
        cursor = start
        for a, b in old:
            if b <= cursor or a >= end:
                continue
            if a > cursor:
                out.append((cursor, a))
            cursor = max(cursor, b)
        if cursor < end:
            out.append((cursor, end))
    return out


def allowance(elapsed_s: float) -> float:
    """The most a beat may add, `elapsed_s` seconds after the previous one."""
    return max(0.0, elapsed_s) * MAX_SPEED + MARGIN_S


def credit(
    old: Sequence[Sequence[float]], played: Sequence[Sequence[float]], duration: float, limit: float
) -> list[Span]:
    """The spans after a beat: the played spans within the video, less what was already
    counted, taken in order up to `limit` seconds, joined to the old ones."""
    kept = merge(old)
    added: list[Span] = []
    room = limit
    for start, end in _new_parts(kept, clamp(played, duration)):
        if room <= 0:
            break
        take = min(end - start, room)
        added.append((start, start + take))
        room -= take
    return merge([*kept, *added])
