"""Synthetic multi-step integer arithmetic: problem generator, solver and grader.

This module is the reference for the bundled test bed; the Java port in ``testbed/``
(package ``io.ttsmesh.testbed``) must agree with it on every case of
``models/eval/grader-fixtures.jsonl``.

Problems
--------
A question is an expression over non-negative integer literals with ``+``, ``-``, ``*`` and
parentheses, 2 to 5 operations (difficulty = number of operations).  Operands of ``+`` and
``-`` that are literals are in 1..99; every ``*`` has at least one factor that is a literal
in 2..12 (the other factor is a literal in 1..99 or a sub-expression).  Every intermediate
value lies within -9999..9999.  Parentheses are written exactly where the tree needs them
(a left child of lower precedence, a right child of lower or equal precedence), so parsing the
question gives back the tree it was drawn from.

Solutions
---------
One step per line, each reducing one operation in evaluation order = post-order of the tree
(parentheses first, then ``*`` before ``+``/``-``, left to right): ``<a><op><b>=<c>`` with
negative numbers written plainly (``7--33=40``, ``-33*3=-99``), then ``A: <value>``.
The step delimiter is ``\\n``.  The generator sees ``Q: <expression>\\n`` and continues with
the solution, followed by EOS (no newline after the answer line).

Grading rules (the Java port implements exactly these)
------------------------------------------------------
* Lines: ``completion.split("\\n")``; if the last element is empty (the completion is empty or
  ends with ``\\n``) it is dropped.  Every line is stripped of leading/trailing ASCII space,
  tab and carriage return before it is looked at.
* A line that starts with ``A:`` is an *answer line*.  Its value is the rest of the line after
  ``A:``, stripped (space/tab/CR); it must match ``[+-]?[0-9]+`` entirely, else the answer line
  is malformed (no value).
* Answer extraction: the FIRST answer line decides; canonical answer = its value as a decimal
  integer without leading zeros or ``+`` sign, ``-0`` -> ``0`` (string arithmetic, no overflow);
  no answer line, or a malformed first answer line -> ``None`` (null).
  ``answer_correct`` = canonical answer is not None and equals the problem's answer.
  (The steps play no part in ``answer_correct``.)
* A *step line* must match ``^(N)([-+*])(N)=(N)$`` with ``N = -?(0|[1-9][0-9]*)`` and not
  ``-0`` (canonical integers only).  Anything else is malformed.
* Step labels ("this line and all lines before it are correct"), walking the lines in order
  with the current expression tree (initially the parsed question) and a flag ``ok = True``:
  - step line: correct iff ``ok`` and it is well formed and some operation node of the
    current tree whose two children are both numbers has that operator and those operands in
    that order (left, right), and the result is the exact value; the FIRST such node in
    post-order is then reduced to its value.  Otherwise ``ok = False``.
  - answer line: correct iff ``ok`` and the tree is fully reduced (a single number) and the
    line's value equals it (numerically, so ``A: 07`` is correct for 7).  After an answer line
    ``ok = False`` (a solution ends at its first answer line: any later line is incorrect).
  - the label of the line is ``ok`` after the line is processed.
"""
from __future__ import annotations

import argparse
import json
import random
import re
from dataclasses import dataclass, field
from typing import List, Optional, Tuple, Union

MIN_OPS, MAX_OPS = 2, 5
VALUE_LIMIT = 9999
PREC = {"+": 1, "-": 1, "*": 2}


# --------------------------------------------------------------------------- expression tree
@dataclass
class Node:
    """An expression tree node: a number (op is None) or a binary operation."""
    op: Optional[str] = None
    left: Optional["Node"] = None
    right: Optional["Node"] = None
    value: Optional[int] = None  # set for numbers

    def is_number(self) -> bool:
        return self.op is None

    def copy(self) -> "Node":
        if self.is_number():
            return Node(value=self.value)
        return Node(self.op, self.left.copy(), self.right.copy())


def apply_op(op: str, a: int, b: int) -> int:
    if op == "+":
        return a + b
    if op == "-":
        return a - b
    if op == "*":
        return a * b
    raise ValueError(op)


def evaluate(node: Node) -> int:
    if node.is_number():
        return node.value
    return apply_op(node.op, evaluate(node.left), evaluate(node.right))


def count_ops(node: Node) -> int:
    return 0 if node.is_number() else 1 + count_ops(node.left) + count_ops(node.right)


def render(node: Node) -> str:
    """Expression text with the minimal parentheses that make parsing give back this tree."""
    if node.is_number():
        return str(node.value)
    p = PREC[node.op]
    ls = render(node.left)
    if not node.left.is_number() and PREC[node.left.op] < p:
        ls = "(" + ls + ")"
    rs = render(node.right)
    if not node.right.is_number() and PREC[node.right.op] <= p:
        rs = "(" + rs + ")"
    return ls + node.op + rs


_TOKEN = re.compile(r"[0-9]+|[-+*()]")


def parse_expression(text: str) -> Node:
    """Parse a question (bare expression: non-negative integers, + - *, parentheses)."""
    pos = 0
    tokens = []
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m:
            raise ValueError(f"bad character at {pos} in {text!r}")
        tokens.append(m.group(0))
        pos = m.end()
    i = 0

    def peek():
        return tokens[i] if i < len(tokens) else None

    def take():
        nonlocal i
        t = tokens[i]
        i += 1
        return t

    def expr():
        n = term()
        while peek() in ("+", "-"):
            op = take()
            n = Node(op, n, term())
        return n

    def term():
        n = factor()
        while peek() == "*":
            take()
            n = Node("*", n, factor())
        return n

    def factor():
        t = peek()
        if t is None:
            raise ValueError(f"unexpected end of {text!r}")
        if t == "(":
            take()
            n = expr()
            if peek() != ")":
                raise ValueError(f"missing ) in {text!r}")
            take()
            return n
        if t.isdigit():
            take()
            return Node(value=int(t))
        raise ValueError(f"unexpected {t!r} in {text!r}")

    root = expr()
    if i != len(tokens):
        raise ValueError(f"trailing tokens in {text!r}")
    return root


def post_order_ops(node: Node) -> List[Node]:
    out: List[Node] = []

    def walk(n):
        if n.is_number():
            return
        walk(n.left)
        walk(n.right)
        out.append(n)

    walk(node)
    return out


def solution_steps(question: str) -> Tuple[List[str], int]:
    """Canonical solution: steps in post-order and the final value."""
    root = parse_expression(question)
    steps = []
    for n in post_order_ops(root):
        a, b = n.left.value, n.right.value
        c = apply_op(n.op, a, b)
        steps.append(f"{a}{n.op}{b}={c}")
        n.op, n.left, n.right, n.value = None, None, None, c
    return steps, root.value


def solution_text(question: str) -> str:
    """The completion the generator is trained on (without EOS): steps, then the answer line."""
    steps, value = solution_steps(question)
    return "\n".join(steps + [f"A: {value}"])


# --------------------------------------------------------------------------- problem generator
@dataclass
class Problem:
    id: str
    question: str
    answer: str
    difficulty: int

    def to_json(self) -> dict:
        return {"id": self.id, "question": self.question, "answer": self.answer,
                "difficulty": self.difficulty}


def _random_tree(rng: random.Random, ops: int) -> Node:
    if ops == 0:
        return Node(value=rng.randint(1, 99))
    op = rng.choice("+-*")
    if op == "*":
        small = Node(value=rng.randint(2, 12))
        other = _random_tree(rng, ops - 1)
        return Node("*", small, other) if rng.random() < 0.5 else Node("*", other, small)
    n_left = rng.randint(0, ops - 1)
    return Node(op, _random_tree(rng, n_left), _random_tree(rng, ops - 1 - n_left))


def _within_limits(node: Node) -> bool:
    ok = True

    def walk(n):
        nonlocal ok
        if n.is_number():
            return n.value
        v = apply_op(n.op, walk(n.left), walk(n.right))
        if abs(v) > VALUE_LIMIT:
            ok = False
        return v

    walk(node)
    return ok


def random_problem(rng: random.Random, difficulty: int, pid: str = "") -> Problem:
    """Draw one problem with exactly ``difficulty`` operations."""
    while True:
        tree = _random_tree(rng, difficulty)
        if not _within_limits(tree):
            continue
        q = render(tree)
        return Problem(pid, q, str(evaluate(tree)), difficulty)


def problem_set(seed: int, n: int, difficulties=range(MIN_OPS, MAX_OPS + 1), prefix: str = "p",
                exclude: Optional[set] = None) -> List[Problem]:
    """``n`` distinct problems, balanced over difficulties (round robin), reproducible from seed."""
    rng = random.Random(seed)
    diffs = list(difficulties)
    seen = set()
    out = []
    while len(out) < n:
        d = diffs[len(out) % len(diffs)]
        p = random_problem(rng, d)
        if p.question in seen or (exclude and p.question in exclude):
            continue
        seen.add(p.question)
        p.id = f"{prefix}-{len(out):05d}"
        out.append(p)
    return out


# --------------------------------------------------------------------------- answers
_INT = re.compile(r"[+-]?[0-9]+")
_WS = " \t\r"


def canonical_integer(text: str) -> Optional[str]:
    """Canonical form of an integer string (``[+-]?[0-9]+``): no ``+``, no leading zeros,
    ``-0`` -> ``0``.  Returns None when ``text`` is not such an integer."""
    if text is None or not _INT.fullmatch(text):
        return None
    neg = text[0] == "-"
    digits = text.lstrip("+-").lstrip("0")
    if not digits:
        return "0"
    return ("-" if neg else "") + digits


def _lines(completion: str) -> List[str]:
    lines = completion.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return [ln.strip(_WS) for ln in lines]


def _answer_value(line: str) -> Optional[str]:
    return canonical_integer(line[2:].strip(_WS))


def extract_answer(completion: str) -> Optional[str]:
    """Canonical answer of a completion: the integer on the first line starting with ``A:``."""
    for line in _lines(completion):
        if line.startswith("A:"):
            return _answer_value(line)
    return None


_NUM = r"-?(?:0|[1-9][0-9]*)"
_STEP = re.compile(rf"({_NUM})([-+*])({_NUM})=({_NUM})")


def parse_step(line: str) -> Optional[Tuple[int, str, int, int]]:
    m = _STEP.fullmatch(line)
    if not m:
        return None
    nums = [m.group(1), m.group(3), m.group(4)]
    if any(x == "-0" for x in nums):
        return None
    return int(m.group(1)), m.group(2), int(m.group(3)), int(m.group(4))


@dataclass
class GradeResult:
    lines: List[str]
    step_labels: List[bool]
    answer: Optional[str]
    answer_correct: bool
    solution_correct: bool = False  # every line correct and ends with a correct answer line

    def to_json(self) -> dict:
        return {"answer": self.answer, "answer_correct": self.answer_correct,
                "step_labels": self.step_labels}


def step_labels(question: str, lines: List[str]) -> List[bool]:
    """Labels of already split and stripped lines (see module doc)."""
    tree = parse_expression(question)
    ok = True
    labels = []
    for line in lines:
        if not ok:
            labels.append(False)
            continue
        if line.startswith("A:"):
            v = _answer_value(line)
            ok = tree.is_number() and v is not None and int(v) == tree.value
            labels.append(ok)
            ok = False  # nothing may follow an answer line
            continue
        st = parse_step(line)
        node = None
        if st is not None:
            a, op, b, c = st
            for n in post_order_ops(tree):
                if (n.op == op and n.left.is_number() and n.right.is_number()
                        and n.left.value == a and n.right.value == b):
                    node = n
                    break
            if node is not None and apply_op(op, a, b) != c:
                node = None
        if node is None:
            ok = False
        else:
            node.op, node.left, node.right, node.value = None, None, None, c
        labels.append(ok)
    return labels


def grade(question: str, completion: str, answer: Optional[str] = None) -> GradeResult:
    """Grade a completion (the text after ``Q: <question>\\n``, EOS removed)."""
    if answer is None:
        answer = str(evaluate(parse_expression(question)))
    lines = _lines(completion)
    labels = step_labels(question, lines)
    ans = extract_answer(completion)
    # note: labels can end with a True answer line only if every line before is True
    sol_ok = bool(labels) and labels[-1] and lines[-1].startswith("A:")
    return GradeResult(lines, labels, ans, ans is not None and ans == answer, sol_ok)


# --------------------------------------------------------------------------- CLI
def main(argv=None):
    ap = argparse.ArgumentParser(description="Draw a problem set (JSONL) or grade a completion.")
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--min-ops", type=int, default=MIN_OPS)
    ap.add_argument("--max-ops", type=int, default=MAX_OPS)
    ap.add_argument("--prefix", default="p")
    ap.add_argument("--out", default="-")
    args = ap.parse_args(argv)
    probs = problem_set(args.seed, args.n, range(args.min_ops, args.max_ops + 1), args.prefix)
    text = "".join(json.dumps(p.to_json()) + "\n" for p in probs)
    if args.out == "-":
        print(text, end="")
    else:
        with open(args.out, "w") as f:
            f.write(text)


if __name__ == "__main__":
    main()
