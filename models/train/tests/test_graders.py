"""The Python graders agree with the hand-written fixtures (the Java plug-ins check the same files) and
reject what they must: a wrong step, a wrong answer, a solution that is not the question's."""
import json
import os

import arith
import countdown as cd
import countdown_fixtures
import fixtures
from conftest import MODELS


def _committed(path):
    with open(os.path.join(MODELS, path)) as f:
        return [json.loads(line) for line in f]


def test_fixture_files_are_the_generated_ones():
    assert _committed("countdown/eval/grader-fixtures.jsonl") == countdown_fixtures.cases()
    assert _committed("eval/grader-fixtures.jsonl") == fixtures.cases()


def test_references_agree_with_their_fixtures():
    fixtures.check()
    countdown_fixtures.check()


def test_countdown_rejects_a_wrong_step_and_a_foreign_solution():
    q = cd.question_text([2, 3, 7], 42)
    right = "2*3=6; 7 6\n7*6=42; 42\nA: 42"
    assert cd.grade(q, right).answer_correct
    wrong_value = "2*3=5; 7 5\n7*5=35; 35\nA: 42"
    g = cd.grade(q, wrong_value)
    assert not g.answer_correct and g.step_labels[0] is False
    other_question = cd.question_text([2, 3, 8], 42)
    assert not cd.grade(other_question, right).answer_correct


def test_countdown_vote_key_ignores_step_order():
    a = "2*3=6; 7 6\n7*6=42; 42\nA: 42"
    b = "3*2=6; 7 6\n6*7=42; 42\nA: 42"
    assert cd.answer_key(a) is not None and cd.answer_key(a) == cd.answer_key(b)


def test_arithmetic_answer_is_canonical_and_steps_are_checked():
    assert arith.canonical_integer("+007") == "7"
    assert arith.canonical_integer("-0") == "0"
    assert arith.canonical_integer("7.0") is None
    q = "3+4*2"
    steps = arith.solution_text(q)
    assert arith.grade(q, steps, "11").answer_correct
    broken = steps.replace("4*2=8", "4*2=9")
    assert broken != steps
    assert not all(arith.grade(q, broken, "11").step_labels)
