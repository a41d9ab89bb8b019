"""Training data for the test bed: generator sequences, PRM examples, corruptions."""
import random
from typing import List, Optional, Tuple

import torch

import arith
import chartok as tok


def prompt_text(question: str) -> str:
    return f"Q: {question}\n"


def generator_example(question: str, solution: str) -> Tuple[List[int], int]:
    """Token ids of the full training sequence and the index where the completion starts."""
    p = tok.encode(prompt_text(question))
    c = tok.encode(solution) + [tok.EOS_ID]
    return p + c, len(p)


def problem_stream(seed_key: str, n: int, exclude: set, difficulties=(2, 3, 4, 5)):
    """``n`` problems with difficulty drawn uniformly, reproducible from ``seed_key``."""
    rng = random.Random(seed_key)
    out = []
    while len(out) < n:
        p = arith.random_problem(rng, rng.choice(difficulties))
        if p.question in exclude:
            continue
        out.append(p)
    return out


def length_bucketed_batches(seqs: List, batch_size: int, rng: random.Random, key=len):
    """Group items of similar length into batches (less padding), in random batch order."""
    idx = list(range(len(seqs)))
    rng.shuffle(idx)
    chunk = batch_size * 32
    batches = []
    for s in range(0, len(idx), chunk):
        part = sorted(idx[s:s + chunk], key=lambda i: key(seqs[i]))
        for b in range(0, len(part), batch_size):
            if len(part[b:b + batch_size]) == batch_size or not batches:
                batches.append(part[b:b + batch_size])
    rng.shuffle(batches)
    return batches


def collate_lm(examples: List[Tuple[List[int], int]]):
    """Right-padded LM batch: ids, mask, positions, targets (-100 outside the completion)."""
    L = max(len(e[0]) for e in examples)
    b = len(examples)
    ids = torch.full((b, L), tok.PAD_ID, dtype=torch.long)
    mask = torch.zeros((b, L), dtype=torch.long)
    tgt = torch.full((b, L), -100, dtype=torch.long)
    for i, (seq, start) in enumerate(examples):
        n = len(seq)
        ids[i, :n] = torch.tensor(seq)
        mask[i, :n] = 1
        # position t predicts token t+1; train on completion tokens (including EOS)
        tgt[i, start - 1:n - 1] = torch.tensor(seq[start:])
    pos = torch.arange(L).unsqueeze(0).expand(b, L).contiguous()
    return ids, mask, pos, tgt


# --------------------------------------------------------------------------- PRM examples
def prm_text(question: str, lines: List[str]) -> str:
    """The verifier's input: the question line, then every step followed by the delimiter."""
    return prompt_text(question) + "".join(line + "\n" for line in lines)


def prm_example(question: str, lines: List[str], labels: List[bool]):
    """(ids, positions of each step's delimiter, labels)."""
    ids = tok.encode(prm_text(question, lines))
    nl = [i for i, t in enumerate(ids) if t == tok.NEWLINE_ID]
    nl = nl[1:]  # the question line's delimiter carries no score
    assert len(nl) == len(lines), (question, lines)
    return ids, nl, [1 if x else 0 for x in labels]


def completion_lines(completion: str) -> List[str]:
    """Steps of a generated completion as the verifier sees them (split on the delimiter)."""
    lines = completion.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def _perturb(v: int, rng: random.Random) -> int:
    """A plausible wrong value near ``v`` (digit slip, off by one / ten, sign)."""
    for _ in range(20):
        r = rng.random()
        if r < 0.45:  # change one digit
            s = str(abs(v))
            i = rng.randrange(len(s))
            d = rng.choice([c for c in "0123456789" if c != s[i]])
            s2 = s[:i] + d + s[i + 1:]
            if len(s2) > 1 and s2[0] == "0":
                continue
            w = int(s2) * (-1 if v < 0 else 1)
        elif r < 0.7:
            w = v + rng.choice([-1, 1, -2, 2])
        elif r < 0.9:
            w = v + rng.choice([-10, 10, -100, 100, -20, 20])
        else:
            w = -v if v != 0 else rng.choice([-1, 1])
        if w != v and abs(w) <= 99999:
            return w
    return v + 1


def corrupted_solution(question: str, rng: random.Random) -> List[str]:
    """A gold solution with one error (result, operand, precedence/order or answer), the rest
    continued consistently from the wrong value, as a model that slipped would."""
    tree = arith.parse_expression(question)
    kind = rng.random()
    n_ops = arith.count_ops(tree)
    j = rng.randrange(n_ops)
    lines = []
    k = 0
    while not tree.is_number():
        ready = [n for n in arith.post_order_ops(tree)
                 if n.left.is_number() and n.right.is_number()]
        node = ready[0]
        a, b, op = node.left.value, node.right.value, node.op
        c = arith.apply_op(op, a, b)
        if k == j and kind < 0.5:  # wrong result
            c = _perturb(c, rng)
        elif k == j and kind < 0.7:  # wrong operand copied
            if rng.random() < 0.5:
                a = _perturb(a, rng)
            else:
                b = _perturb(b, rng)
            c = arith.apply_op(op, a, b)
        elif k == j and kind < 0.8:  # wrong operator
            op2 = rng.choice([o for o in "+-*" if o != op])
            c = arith.apply_op(op2, a, b)
            if rng.random() < 0.5:
                op = op2
        lines.append(f"{a}{op}{b}={c}")
        node.op, node.left, node.right, node.value = None, None, None, c
        k += 1
    value = tree.value
    if kind >= 0.8:  # every step right, the answer line wrong
        value = _perturb(value, rng)
    lines.append(f"A: {value}")
    return lines


def collate_prm(examples, label_weight=None):
    """Right-padded PRM batch: ids, mask, pos, flat (batch, pos) index, labels, weights."""
    L = max(len(e[0]) for e in examples)
    b = len(examples)
    ids = torch.full((b, L), tok.PAD_ID, dtype=torch.long)
    mask = torch.zeros((b, L), dtype=torch.long)
    bi, pi, lab, w = [], [], [], []
    for i, e in enumerate(examples):
        seq, nl, labels = e[0], e[1], e[2]
        wts = e[3] if len(e) > 3 else [1.0] * len(labels)
        ids[i, :len(seq)] = torch.tensor(seq)
        mask[i, :len(seq)] = 1
        bi += [i] * len(nl)
        pi += nl
        lab += labels
        w += wts
    pos = torch.arange(L).unsqueeze(0).expand(b, L).contiguous()
    return (ids, mask, pos, torch.tensor(bi), torch.tensor(pi), torch.tensor(lab),
            torch.tensor(w, dtype=torch.float32))
