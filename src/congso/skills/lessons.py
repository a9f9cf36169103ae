"""The public lessons and their quizzes, kept as data files (``content/<topic>.json``) so that a
commune can reword a lesson without touching code. Scoring is a pure function: the server holds
the answers, the page never sees them before the learner submits."""

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from .models import Topic

CONTENT_DIR = Path(__file__).parent / "content"
#: Share of right answers needed to pass a quiz (3 of 4).
PASS_SHARE = 0.75


@dataclass(frozen=True)
class Lesson:
    topic: str
    title: str
    summary: str
    screens: list[dict]
    quiz: list[dict]


@cache
def lesson(topic: str) -> Lesson:
    data = json.loads((CONTENT_DIR / f"{topic}.json").read_text(encoding="utf-8"))
    return Lesson(topic=topic, **data)


def all_lessons() -> list[Lesson]:
    return [lesson(topic) for topic in Topic.values]


@dataclass(frozen=True)
class Marked:
    question: str
    choices: list[str]
    given: int | None
    answer: int
    explanation: str

    @property
    def right(self) -> bool:
        return self.given == self.answer


@dataclass(frozen=True)
class Result:
    marked: list[Marked]

    @property
    def score(self) -> int:
        return sum(item.right for item in self.marked)

    @property
    def total(self) -> int:
        return len(self.marked)

    @property
    def passed(self) -> bool:
        return self.total > 0 and self.score >= PASS_SHARE * self.total


def _choice(value, count: int) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 <= number < count else None


def score(quiz: list[dict], answers: dict) -> Result:
    """Mark ``answers`` (``{"q0": "1", ...}``, from the form) against ``quiz``; a missing or
    out-of-range answer is simply wrong."""
    return Result(
        [
            Marked(
                question=item["question"],
                choices=item["choices"],
                given=_choice(answers.get(f"q{n}"), len(item["choices"])),
                answer=item["answer"],
                explanation=item["explanation"],
            )
            for n, item in enumerate(quiz)
        ]
    )
