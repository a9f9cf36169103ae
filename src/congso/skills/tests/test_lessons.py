"""The lesson files are complete and the quiz is scored on the server."""

import pytest

from congso.skills import lessons
from congso.skills.models import Topic


@pytest.mark.parametrize("topic", Topic.values)
def test_every_topic_has_screens_and_a_sound_quiz(topic):
    lesson = lessons.lesson(topic)
    assert lesson.title and lesson.summary
    assert 2 <= len(lesson.screens) <= 5
    assert all(screen["heading"] and screen["paragraphs"] for screen in lesson.screens)
    assert len(lesson.quiz) >= 3
    for item in lesson.quiz:
        assert 0 <= item["answer"] < len(item["choices"])
        assert item["explanation"]


QUIZ = [
    {"question": f"Câu {n}", "choices": ["a", "b", "c"], "answer": n % 3, "explanation": "."}
    for n in range(4)
]


def test_all_right_passes():
    result = lessons.score(QUIZ, {"q0": "0", "q1": "1", "q2": "2", "q3": "0"})
    assert (result.score, result.total, result.passed) == (4, 4, True)
    assert all(item.right for item in result.marked)


def test_three_of_four_passes_and_marks_the_wrong_one():
    result = lessons.score(QUIZ, {"q0": "0", "q1": "1", "q2": "2", "q3": "2"})
    assert (result.score, result.passed) == (3, True)
    assert [item.right for item in result.marked] == [True, True, True, False]
    assert result.marked[3].given == 2 and result.marked[3].answer == 0


def test_two_of_four_fails():
    result = lessons.score(QUIZ, {"q0": "0", "q1": "1"})
    assert (result.score, result.passed) == (2, False)


@pytest.mark.parametrize("junk", ["", "x", "-1", "3", "99", None, "1.0"])
def test_junk_answers_count_as_wrong(junk):
    result = lessons.score(QUIZ, {"q1": junk})
    assert result.marked[1].given is None
    assert not result.marked[1].right


def test_an_empty_quiz_never_passes():
    assert not lessons.score([], {}).passed
