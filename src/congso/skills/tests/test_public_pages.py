"""The public section: lessons and quizzes without login; a passed quiz counts once."""

import pytest
from django.urls import reverse

from congso.skills import lessons
from congso.skills.models import Completion, Topic

pytestmark = pytest.mark.django_db


def _answers(topic: str, right: int) -> dict:
    quiz = lessons.lesson(topic).quiz
    return {
        f"q{n}": str(item["answer"] if n < right else (item["answer"] + 1) % len(item["choices"]))
        for n, item in enumerate(quiz)
    }


def test_the_index_lists_the_six_lessons(client):
    page = client.get(reverse("skills:index"))
    assert page.status_code == 200
    for topic in Topic.values:
        assert reverse("skills:lesson", args=[topic]) in page.content.decode()


def test_a_lesson_pages_through_its_screens_to_the_quiz(client):
    lesson = lessons.lesson("internet")
    first = client.get(reverse("skills:lesson", args=["internet"])).content.decode()
    assert lesson.screens[0]["heading"] in first and "?trang=2" in first
    last = client.get(reverse("skills:lesson", args=["internet"]), {"trang": 99})
    assert lesson.screens[-1]["heading"] in last.content.decode()
    assert reverse("skills:quiz", args=["internet"]) in last.content.decode()
    assert (
        client.get(reverse("skills:lesson", args=["internet"]), {"trang": "x"}).status_code == 200
    )


def test_an_unknown_topic_is_404(client):
    assert client.get(reverse("skills:lesson", args=["cooking"])).status_code == 404
    assert client.post(reverse("skills:quiz", args=["cooking"])).status_code == 404


def test_the_quiz_form_does_not_reveal_the_answers(client):
    page = client.get(reverse("skills:quiz", args=["email"])).content.decode()
    for item in lessons.lesson("email").quiz:
        assert item["explanation"] not in page


def test_an_anonymous_pass_counts_once_with_the_chosen_commune(client, tree):
    url = reverse("skills:quiz", args=["email"])
    data = _answers("email", 4) | {"unit": tree["commune_a"].pk}
    page = client.post(url, data)
    assert page.status_code == 200
    assert "4/4" in page.content.decode()
    client.post(url, data)
    completion = Completion.objects.get()
    assert completion.unit == tree["commune_a"] and completion.user is None
    assert completion.session_key
    index = client.get(reverse("skills:index")).content.decode()
    assert "Đã hoàn thành" in index


def test_a_failed_quiz_shows_which_answers_were_wrong(client):
    page = client.post(reverse("skills:quiz", args=["payment"]), _answers("payment", 2))
    html = page.content.decode()
    assert "2/4" in html and html.count("ks-wrong") == 2 and html.count("ks-right") == 2
    assert not Completion.objects.exists()


def test_a_logged_in_citizens_pass_is_theirs(client, citizen):
    client.force_login(citizen)
    client.post(reverse("skills:quiz", args=["shopping"]), _answers("shopping", 3))
    assert Completion.objects.get().user == citizen


def test_a_junk_commune_is_ignored(client):
    data = _answers("internet", 4) | {"unit": "abc"}
    assert client.post(reverse("skills:quiz", args=["internet"]), data).status_code == 200
    assert Completion.objects.get().unit is None
