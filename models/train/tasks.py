"""The two test-bed tasks as the training script sees them: vocabulary, question sets, gold solutions,
grading, PRM training labels and extra PRM examples. ``train.py --task NAME`` picks one."""
import random
from typing import List

import arith
import countdown as cd
import countdown_fixtures
import data
import fixtures


class Arithmetic:
    name = "arithmetic"
    chars = ["\n", " "] + [str(d) for d in range(10)] + list("+-*()=:AQ")
    train_difficulties = range(1, 6)     # 1 operation: training only
    eval_difficulties = range(2, 6)
    default_weights = "2,2,2,1,1"
    out_subdir = ""                      # models/generator, models/prm, models/eval

    id_prefix = ""

    def problem_set(self, seed, n, prefix, exclude=None):
        return arith.problem_set(seed, n, prefix=prefix, exclude=exclude)

    def load(self, record):
        return arith.Problem(**record)

    def problem_stream(self, seed_key, n, exclude, difficulties):
        return data.problem_stream(seed_key, n, exclude, difficulties=difficulties)

    def solution_text(self, p):
        return arith.solution_text(p.question)

    def grade(self, question, answer, completion):
        """(labels the PRM is measured against, canonical answer, correct)."""
        g = arith.grade(question, completion, answer)
        return g.step_labels, g.answer, g.answer_correct

    def prm_labels(self, question, lines):
        return arith.step_labels(question, [ln.strip(" \t\r") for ln in lines])

    def extra_prm_lines(self, question, rng):
        """Gold (30%) or a gold solution with one propagated error."""
        if rng.random() < 0.3:
            return arith.solution_text(question).split("\n"), True
        return data.corrupted_solution(question, rng), False

    def answer_of(self, p):
        return p.answer

    def write_fixtures(self, path):
        fixtures.write(path)


class Countdown:
    name = "countdown"
    chars = ["\n", " "] + [str(d) for d in range(10)] + list("+-*/=;:>AQ")
    train_difficulties = range(2, 6)     # 2 numbers: training only
    eval_difficulties = range(3, 6)
    default_weights = "1,2,3,3"
    out_subdir = "countdown"             # models/countdown/{generator,prm,eval}

    id_prefix = "cd-"

    def problem_set(self, seed, n, prefix, exclude=None):
        return cd.problem_set(seed, n, prefix=prefix, exclude=exclude)

    def load(self, record):
        return cd.Problem(record["id"], record["numbers"], record["target"], record["difficulty"])

    def problem_stream(self, seed_key, n, exclude, difficulties):
        rng = random.Random(seed_key)
        out = []
        while len(out) < n:
            p = cd.random_problem(rng, rng.choice(difficulties))
            if p.question not in exclude:
                out.append(p)
        return out

    def solution_text(self, p):
        """The drawing's own solution; a question read back from a file gets one from the solver."""
        if p.solution:
            return cd.solution_text(p)
        numbers, target = cd.parse_question(p.question)
        return "\n".join(cd.solve(numbers, target, random.Random(p.question)) + [f"A: {target}"])

    def grade(self, question, answer, completion):
        """(oracle labels: what the value-PRM is trained on and measured against, vote key, correct)."""
        g = cd.grade(question, completion)
        return g.oracle_labels, g.answer, g.answer_correct

    def prm_labels(self, question, lines):
        """Value-style: every step so far is valid AND the target is still reachable (exhaustive solver)."""
        return cd.oracle_labels(question, [ln.strip(" \t\r") for ln in lines])

    def extra_prm_lines(self, question, rng):
        """Gold (30%) or a walk of random valid steps (reaches the target only by luck)."""
        numbers, target = cd.parse_question(question)
        if rng.random() < 0.3:
            return cd.solve(numbers, target, rng) + [f"A: {target}"], True
        return cd.random_walk(cd.Problem("", numbers, target, len(numbers)), rng), False

    def answer_of(self, p):
        return None

    def write_fixtures(self, path):
        countdown_fixtures.write(path)


TASKS = {t.name: t for t in (Arithmetic(), Countdown())}
