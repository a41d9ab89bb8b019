#!/usr/bin/python3
"""Countdown, the second test-bed task: reach a target from a few small numbers with + - * /.

The reference for the Java plug-in (``tasks/countdown``): question schema, generation procedure,
solution format, rule checker, oracle, vote key and grader. Both agree on
``models/countdown/eval/grader-fixtures.jsonl``.

Question ``{"id", "task": "countdown", "numbers": [a, b, ...], "target": T, "difficulty": k}``, k numbers
(3..5) each in 1..12, target 10..99; its canonical text is ``"3 7 9 2 -> 24"``. A solution is k-1 step
lines ``a<op>b=c; <pool>`` (the pool: the numbers left after the step: the current pool without the first
``a`` and then the first ``b``, with ``c`` appended) and an answer line ``A: T``. Every value written is an
integer in 1..99.

    /usr/bin/python3 models/train/countdown.py --seed S --n N --out x.jsonl     # draw a question set
"""
import argparse
import functools
import json
import random
import re
from dataclasses import dataclass, field
from typing import List, Optional, Tuple

NAME = "countdown"
MIN_K, MAX_K = 3, 5
MIN_NUMBER, MAX_NUMBER = 1, 12
MIN_TARGET, MAX_TARGET = 10, 99
MAX_VALUE = 99
OPS = "+-*/"
_WS = " \t\r"


# --------------------------------------------------------------------------- arithmetic of the task
def apply_op(op: str, a: int, b: int) -> Optional[int]:
    """``a op b`` when it is an integer in 1..99, else None (the only values a solution may write)."""
    if op == "+":
        c = a + b
    elif op == "-":
        c = a - b
    elif op == "*":
        c = a * b
    elif op == "/":
        if b == 0 or a % b:
            return None
        c = a // b
    else:
        return None
    return c if 1 <= c <= MAX_VALUE else None


def pool_after(pool: List[int], a: int, b: int, c: int) -> Optional[List[int]]:
    """The pool after ``a op b = c``: first ``a`` removed, then first ``b``, ``c`` appended; None when
    ``a`` and ``b`` are not both available."""
    rest = list(pool)
    for v in (a, b):
        if v not in rest:
            return None
        rest.remove(v)
    return rest + [c]


@functools.lru_cache(maxsize=None)
def _reachable(pool: Tuple[int, ...], target: int) -> bool:
    if len(pool) == 1:
        return pool[0] == target
    n = len(pool)
    for i in range(n):
        for j in range(n):
            if i == j:
                continue
            for op in OPS:
                c = apply_op(op, pool[i], pool[j])
                if c is None:
                    continue
                rest = [pool[x] for x in range(n) if x != i and x != j] + [c]
                if _reachable(tuple(sorted(rest)), target):
                    return True
    return False


def reachable(pool: List[int], target: int) -> bool:
    """Exhaustive solver: can ``pool`` still reach ``target`` using every number once?  Used by the
    oracle and for training labels only; it never ships as a verifier under another name."""
    return _reachable(tuple(sorted(pool)), target)


# --------------------------------------------------------------------------- questions
@dataclass
class Problem:
    id: str
    numbers: List[int]
    target: int
    difficulty: int
    solution: List[str] = field(default_factory=list, repr=False)  # the drawing's own steps (training only)

    @property
    def question(self) -> str:
        return question_text(self.numbers, self.target)

    def to_json(self) -> dict:
        return {"id": self.id, "task": NAME, "numbers": self.numbers, "target": self.target,
                "difficulty": self.difficulty}


def question_text(numbers: List[int], target: int) -> str:
    return " ".join(str(n) for n in numbers) + " -> " + str(target)


_QUESTION = re.compile(r"\s*((?:\d+\s+)*\d+)\s*->\s*(\d+)\s*")


def parse_question(text: str) -> Tuple[List[int], int]:
    """Numbers and target of a canonical (or loosely spaced) question text."""
    m = _QUESTION.fullmatch(text)
    if not m:
        raise ValueError(f"not a countdown question: {text!r}")
    return [int(x) for x in m.group(1).split()], int(m.group(2))


def random_problem(rng: random.Random, k: int, pid: str = "") -> Problem:
    """The documented procedure: draw k numbers in 1..12; k-1 times pick a random ordered pair of
    distinct pool positions and a random operation valid for it (redraw the pair if none is; restart if
    no pair has one); the last value is the target, kept only when it is in 10..99."""
    while True:
        numbers = [rng.randint(MIN_NUMBER, MAX_NUMBER) for _ in range(k)]
        pool = list(numbers)
        steps = []
        ok = True
        for _ in range(k - 1):
            pairs = [(i, j) for i in range(len(pool)) for j in range(len(pool)) if i != j]
            rng.shuffle(pairs)
            chosen = None
            for i, j in pairs:
                valid = [op for op in OPS if apply_op(op, pool[i], pool[j]) is not None]
                if valid:
                    chosen = (i, j, rng.choice(valid))
                    break
            if chosen is None:
                ok = False
                break
            i, j, op = chosen
            a, b = pool[i], pool[j]
            c = apply_op(op, a, b)
            pool = pool_after(pool, a, b, c)
            steps.append(f"{a}{op}{b}={c}; " + " ".join(str(v) for v in pool))
        if ok and MIN_TARGET <= pool[0] <= MAX_TARGET:
            return Problem(pid, numbers, pool[0], k, steps)


def problem_set(seed: int, n: int, difficulties=range(MIN_K, MAX_K + 1), prefix: str = "cd",
                exclude: Optional[set] = None) -> List[Problem]:
    """``n`` distinct questions, difficulties round robin, reproducible from ``seed``."""
    rng = random.Random(seed)
    diffs = list(difficulties)
    seen = set()
    out = []
    while len(out) < n:
        p = random_problem(rng, diffs[len(out) % len(diffs)])
        if p.question in seen or (exclude and p.question in exclude):
            continue
        seen.add(p.question)
        p.id = f"{prefix}-{len(out):05d}"
        out.append(p)
    return out


def solution_text(p: Problem) -> str:
    return "\n".join(p.solution + [f"A: {p.target}"])


# --------------------------------------------------------------------------- solutions
_STEP = re.compile(r"(0|[1-9][0-9]*)([-+*/])(0|[1-9][0-9]*)=(0|[1-9][0-9]*)")
_POOL = re.compile(r"(0|[1-9][0-9]*)( (0|[1-9][0-9]*))*")
_ANSWER = re.compile(r"A: (0|[1-9][0-9]*)")


def lines_of(completion: str) -> List[str]:
    lines = completion.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return [ln.strip(_WS) for ln in lines]


def parse_step(line: str):
    """``(a, op, b, c, pool)`` of a step line, or None when it breaks the grammar."""
    if "; " not in line:
        return None
    head, tail = line.split("; ", 1)
    m = _STEP.fullmatch(head)
    if not m or not _POOL.fullmatch(tail):
        return None
    return int(m.group(1)), m.group(2), int(m.group(3)), int(m.group(4)), [int(x) for x in tail.split(" ")]


def _labels(question: str, lines: List[str], oracle: bool) -> List[bool]:
    numbers, target = parse_question(question)
    pool = list(numbers)
    out = []
    ok = True
    done = False
    for line in lines:
        if ok:
            if done:
                ok = False
            elif line.startswith("A:"):
                m = _ANSWER.fullmatch(line)
                ok = bool(m) and len(pool) == 1 and pool[0] == target and int(m.group(1)) == target
                done = True
            else:
                s = parse_step(line)
                if s is None or len(pool) < 2:
                    ok = False
                else:
                    a, op, b, c, written = s
                    new = pool_after(pool, a, b, c)
                    ok = (new is not None and apply_op(op, a, b) == c
                          and sorted(written) == sorted(new)
                          and (len(new) > 1 or new[0] == target))
                    if ok:
                        pool = new
                        if oracle:
                            ok = reachable(pool, target)
        out.append(ok)
    return out


def rule_labels(question: str, lines: List[str]) -> List[bool]:
    """The rule checker: per line, it and every line before it break no rule (the question alone)."""
    return _labels(question, lines, oracle=False)


def oracle_labels(question: str, lines: List[str]) -> List[bool]:
    """Rule labels AND the target still reachable after every step (solves the question)."""
    return _labels(question, lines, oracle=True)


def answer_key(completion: str) -> Optional[str]:
    """The vote key: the solution's steps, normalised (+ and * smaller operand first) and sorted."""
    steps = []
    for line in lines_of(completion):
        if line.startswith("A:"):
            return ",".join(sorted(steps)) if steps else None
        m = _STEP.fullmatch(line.split("; ", 1)[0])
        if not m:
            return None
        a, op, b, c = int(m.group(1)), m.group(2), int(m.group(3)), int(m.group(4))
        if op in "+*" and b < a:
            a, b = b, a
        steps.append(f"{a}{op}{b}={c}")
    return None


@dataclass
class GradeResult:
    lines: List[str]
    step_labels: List[bool]      # the rule labels (what "correct" is built from)
    oracle_labels: List[bool]
    answer: Optional[str]
    answer_correct: bool


def grade(question: str, completion: str, answer: Optional[str] = None) -> GradeResult:
    """``answer`` is unused: a Countdown question is graded from its numbers and target alone."""
    lines = lines_of(completion)
    rules = rule_labels(question, lines)
    correct = bool(lines) and all(rules) and lines[-1].startswith("A:")
    return GradeResult(lines, rules, oracle_labels(question, lines), answer_key(completion), correct)


def solve(numbers: List[int], target: int, rng: random.Random) -> Optional[List[str]]:
    """One solution's step lines, the branches tried in random order (gold examples for the PRM)."""
    def walk(pool):
        if len(pool) == 1:
            return [] if pool[0] == target else None
        moves = [(i, j, op) for i in range(len(pool)) for j in range(len(pool)) if i != j for op in OPS]
        rng.shuffle(moves)
        for i, j, op in moves:
            c = apply_op(op, pool[i], pool[j])
            if c is None:
                continue
            new = pool_after(pool, pool[i], pool[j], c)
            if reachable(new, target):
                rest = walk(new)
                if rest is not None:
                    return [f"{pool[i]}{op}{pool[j]}={c}; " + " ".join(str(v) for v in new)] + rest
        return None
    return walk(list(numbers))


# --------------------------------------------------------------------------- random walks (PRM data)
def random_walk(p: Problem, rng: random.Random) -> List[str]:
    """A solution made of random valid steps (it reaches the target only by luck), then the answer line
    when the target was reached, or a wrong answer line stating the last value."""
    pool = list(p.numbers)
    lines = []
    while len(pool) > 1:
        pairs = [(i, j, op) for i in range(len(pool)) for j in range(len(pool)) if i != j for op in OPS
                 if apply_op(op, pool[i], pool[j]) is not None]
        if not pairs:
            break
        i, j, op = rng.choice(pairs)
        a, b = pool[i], pool[j]
        c = apply_op(op, a, b)
        pool = pool_after(pool, a, b, c)
        lines.append(f"{a}{op}{b}={c}; " + " ".join(str(v) for v in pool))
    lines.append(f"A: {pool[-1]}")
    return lines


def main(argv=None):
    ap = argparse.ArgumentParser(description="Draw a Countdown question set (JSON lines).")
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--n", type=int, default=100)
    ap.add_argument("--prefix", default="cd")
    ap.add_argument("--out", required=True)
    a = ap.parse_args(argv)
    with open(a.out, "w") as f:
        for p in problem_set(a.seed, a.n, prefix=a.prefix):
            f.write(json.dumps(p.to_json()) + "\n")


if __name__ == "__main__":
    main()
