"""Watch time from the player's played ranges (zhili/training/watching.py), the quiz's marks
(zhili/training/quiz.py) and an MP4's length from its header (zhili/core/mp4.py): pure."""

import io
import struct

import pytest

from zhili.conftest import Tree
from zhili.core import mp4
from zhili.training import quiz, watching


def test_spans_merge_and_a_part_watched_twice_counts_once() -> None:
    assert watching.merge([[5, 10], [0, 3], [3, 4], [9, 12], [20, 20]]) == [(0, 4), (5, 12)]
    assert watching.length(watching.merge([[0, 10], [0, 10], [5, 15]])) == 15


def test_a_beat_adds_only_what_is_new_within_the_video() -> None:
    spans = watching.credit([[0, 10]], [[0, 10], [10, 20], [55, 70]], 60.0, 100.0)
    assert spans == [(0, 20), (55, 60)]  # 10 s new, 5 s before the end, nothing past it


def test_a_beat_adds_at_most_the_allowance_and_the_rest_comes_with_a_later_beat() -> None:
    # A page claiming the whole hour one second after its previous beat.
    limit = watching.allowance(1.0)
    assert limit == pytest.approx(1.25 + watching.MARGIN_S)
    spans = watching.credit([], [[0, 3600]], 3600.0, limit)
    assert watching.length(spans) == pytest.approx(limit)
    # The next beat brings the same ranges again: credited up to its own allowance.
    later = watching.credit(spans, [[0, 3600]], 3600.0, watching.allowance(10.0))
    assert watching.length(later) == pytest.approx(limit + watching.allowance(10.0))


def test_a_jump_forward_counts_nothing_skipped() -> None:
    spans = watching.credit([[0, 5]], [[0, 5], [50, 52]], 60.0, 100.0)
    assert watching.length(spans) == 7


KEYS = [
    quiz.Key(1, 4, frozenset({1}), 30),
    quiz.Key(2, 4, frozenset({0, 2}), 40, multiple=True),
    quiz.Key(3, 2, frozenset({0}), 30),
]


def test_the_quiz_is_marked_on_points_with_no_partial_credit_for_multiple_choice() -> None:
    assert quiz.mark(KEYS, {1: [1], 2: [2, 0], 3: [0]}).score == 100
    half = quiz.mark(KEYS, {1: [1], 2: [0], 3: [0]})  # the multiple choice half right: wrong
    assert half.score == 60 and half.right == {1, 3}
    assert quiz.mark(KEYS, {}).score == 0
    assert quiz.mark([quiz.Key(1, 2, frozenset({0}), 1)] * 3, {1: [0]}).score == 100


@pytest.mark.parametrize(("answers", "question"), [({9: [0]}, 9), ({1: [4]}, 1), ({1: [0, 1]}, 1)])
def test_an_answer_that_names_what_is_not_there_is_refused(
    answers: dict[int, list[int]], question: int
) -> None:
    with pytest.raises(quiz.BadAnswer) as refused:
        quiz.mark(KEYS, answers)
    assert refused.value.question == question


def test_the_length_of_an_mp4_is_read_from_its_header_wherever_its_moov_sits(
    videos: Tree,
) -> None:
    with videos.long.open("rb") as handle:  # moov at the end
        assert mp4.duration_seconds(handle) == pytest.approx(60, abs=0.1)
    with videos.short.open("rb") as handle:  # faststart
        assert mp4.duration_seconds(handle) == pytest.approx(16, abs=0.1)


def _box(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I4s", 8 + len(payload), kind) + payload


def test_a_version_1_header_and_files_that_are_not_movies() -> None:
    mvhd = _box(b"mvhd", bytes([1, 0, 0, 0]) + bytes(16) + struct.pack(">IQ", 1000, 90_500))
    movie = _box(b"ftyp", b"isom" + bytes(4)) + _box(b"moov", mvhd)
    assert mp4.duration_seconds(io.BytesIO(movie)) == pytest.approx(90.5)
    with pytest.raises(mp4.NotMp4):
        mp4.duration_seconds(io.BytesIO(_box(b"ftyp", b"isom" + bytes(4))))
    with pytest.raises(mp4.NotMp4):
        mp4.duration_seconds(io.BytesIO(struct.pack(">I4s", 4000, b"ftyp") + bytes(10)))
