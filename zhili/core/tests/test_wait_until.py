"""wait_until (zhili/conftest.py): how the tests wait for another process or thread."""

import itertools

import pytest

from zhili.conftest import wait_until


def test_it_returns_the_first_true_answer_without_pausing_once_it_holds() -> None:
    answers = iter([None, [], {"worker": 12}])
    paused: list[float] = []
    assert wait_until(lambda: next(answers), 5, pause=paused.append) == {"worker": 12}
    assert paused == [0.05, 0.05]


def test_it_fails_naming_what_it_waited_for() -> None:
    asked = itertools.count()
    with pytest.raises(AssertionError, match=r"not within 0\.2 s: the server answers"):
        wait_until(lambda: next(asked) < 0, 0.2, "the server answers", every=0.01)
    assert next(asked) > 2  # it kept asking until the deadline


def test_without_a_name_it_names_the_condition_by_its_docstring() -> None:
    def reaped() -> bool:
        """the killed child is reaped"""
        return False

    with pytest.raises(AssertionError, match="the killed child is reaped"):
        wait_until(reaped, 0.05, every=0.01)
