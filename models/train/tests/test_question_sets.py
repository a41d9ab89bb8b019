"""The committed question sets are what the documented generators draw from the recorded seeds, and the
held-out questions never appear in the train split: accuracy claims rest on both."""
import json
import os

import pytest

import arith
import countdown as cd
from conftest import MODELS

HELDOUT_N = TRAIN_N = 1000

TASKS = [
    # (eval folder, generator module, id prefix, record of a problem as the file stores it)
    ("eval", arith, "", lambda p: p.to_json()),
    ("countdown/eval", cd, "cd-", lambda p: p.to_json()),
]


def _read(path):
    with open(path) as f:
        return [json.loads(line) for line in f]


@pytest.mark.parametrize("folder,gen,prefix,record", TASKS, ids=["arithmetic", "countdown"])
def test_committed_sets_are_regenerated_from_recorded_seeds(folder, gen, prefix, record):
    base = os.path.join(MODELS, folder)
    with open(os.path.join(base, "baseline.json")) as f:
        seeds = json.load(f)
    held = gen.problem_set(seeds["heldout_seed"], HELDOUT_N, prefix=prefix + "heldout")
    split = gen.problem_set(seeds["seed"], TRAIN_N, prefix=prefix + "train", exclude={p.question for p in held})
    assert _read(os.path.join(base, "heldout.jsonl")) == [record(p) for p in held]
    assert _read(os.path.join(base, "train-split.jsonl")) == [record(p) for p in split]


@pytest.mark.parametrize("folder,gen,prefix,record", TASKS, ids=["arithmetic", "countdown"])
def test_heldout_and_train_split_are_disjoint(folder, gen, prefix, record):
    base = os.path.join(MODELS, folder)

    def key(r):
        return r.get("question") or (tuple(r["numbers"]), r["target"])

    held = {key(r) for r in _read(os.path.join(base, "heldout.jsonl"))}
    split = {key(r) for r in _read(os.path.join(base, "train-split.jsonl"))}
    assert len(held) == HELDOUT_N and len(split) == TRAIN_N
    assert not held & split


@pytest.mark.parametrize("gen,difficulties", [(arith, range(arith.MIN_OPS, arith.MAX_OPS + 1)),
                                               (cd, range(cd.MIN_K, cd.MAX_K + 1))], ids=["arithmetic", "countdown"])
def test_generator_is_reproducible_distinct_and_round_robin(gen, difficulties):
    a = gen.problem_set(7, 60)
    assert [p.to_json() for p in a] == [p.to_json() for p in gen.problem_set(7, 60)]
    assert len({p.question for p in a}) == 60
    diffs = list(difficulties)
    assert [p.difficulty for p in a] == [diffs[i % len(diffs)] for i in range(60)]
    assert [p.to_json() for p in gen.problem_set(8, 60)] != [p.to_json() for p in a]


def test_countdown_questions_are_in_range_and_solvable():
    for p in cd.problem_set(11, 200):
        assert cd.MIN_K <= len(p.numbers) <= cd.MAX_K == 5
        assert all(cd.MIN_NUMBER <= v <= cd.MAX_NUMBER for v in p.numbers)
        assert cd.MIN_TARGET <= p.target <= cd.MAX_TARGET
        assert cd.reachable(p.numbers, p.target)
        assert cd.grade(p.question, cd.solution_text(p)).answer_correct


def test_arithmetic_reference_solutions_grade_correct():
    for p in arith.problem_set(11, 200):
        g = arith.grade(p.question, arith.solution_text(p.question), p.answer)
        assert g.answer_correct and all(g.step_labels)
