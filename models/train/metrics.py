"""Baseline metrics on the held-out set (see DEFINITIONS)."""
from collections import OrderedDict
from typing import List

DEFINITIONS = {
    "greedy": "accuracy of the greedy (temperature 0) completion",
    "mean_single": "mean accuracy of one sample (all samples of all questions)",
    "pass_at_n": "oracle: some sample has the right answer (reference only)",
    "majority_at_n": "most frequent canonical answer among samples with an answer (ties: the answer "
                     "seen first); samples without an answer do not vote",
    "prm_best_of_n": "answer of the sample with the highest last-step PRM score among samples with an "
                     "answer (ties: first sample)",
    "prm_weighted_vote_at_n": "canonical answer with the largest sum of last-step PRM scores over samples "
                              "with an answer (ties: the answer seen first)",
    "prm_step_auc": "ROC AUC of PRM step scores vs step labels over every line of every sample",
    "prm_answer_auc": "ROC AUC of the PRM score of the last line vs its label, over samples whose last "
                      "line is an answer line (label = the whole solution is correct)",
    "prm_answer_auc_vs_answer_correct": "same scores vs whether the extracted answer is right",
}


def auc(scores: List[float], labels: List[int]) -> float:
    """ROC AUC (Mann-Whitney U) with ties counted half."""
    pairs = sorted(zip(scores, labels), key=lambda x: x[0])
    n_pos = sum(1 for _, y in pairs if y)
    n_neg = len(pairs) - n_pos
    if n_pos == 0 or n_neg == 0:
        return None  # undefined with a single class
    rank_sum = 0.0
    i = 0
    while i < len(pairs):
        j = i
        while j < len(pairs) and pairs[j][0] == pairs[i][0]:
            j += 1
        avg_rank = (i + 1 + j) / 2.0
        rank_sum += avg_rank * sum(1 for k in range(i, j) if pairs[k][1])
        i = j
    return (rank_sum - n_pos * (n_pos + 1) / 2.0) / (n_pos * n_neg)


def _vote(samples, weight):
    """The first sample of the winning answer group (None when no sample has an answer). The chosen
    sample's correctness is what counts: for arithmetic that is "the answer is right", for Countdown (where
    the vote key is the solution itself) "this solution is valid"."""
    tally = OrderedDict()
    first = {}
    for s in samples:
        if s["answer"] is None:
            continue
        tally[s["answer"]] = tally.get(s["answer"], 0.0) + weight(s)
        first.setdefault(s["answer"], s)
    if not tally:
        return None
    best = max(tally.values())
    return first[next(a for a, v in tally.items() if v == best)]


def _best_of(samples):
    best, chosen = None, None
    for s in samples:
        if s["answer"] is None:
            continue
        sc = s["scores"][-1] if s["scores"] else 0.0
        if best is None or sc > best:
            best, chosen = sc, s
    return chosen


def _right(sample) -> bool:
    return sample is not None and sample["correct"]


def _is_answer_line(step: str) -> bool:
    return step.strip(" \t\r").startswith("A:")


def summarize(rows) -> dict:
    n = len(rows)
    if n == 0:
        return {}
    greedy = sum(r["greedy"]["correct"] for r in rows) / n
    singles = [s["correct"] for r in rows for s in r["samples"]]
    out = {"questions": n, "greedy": greedy, "mean_single": sum(singles) / len(singles)}
    out["pass_at_n"] = sum(any(s["correct"] for s in r["samples"]) for r in rows) / n
    out["majority_at_n"] = sum(_right(_vote(r["samples"], lambda s: 1.0)) for r in rows) / n
    out["prm_best_of_n"] = sum(_right(_best_of(r["samples"])) for r in rows) / n
    out["prm_weighted_vote_at_n"] = sum(
        _right(_vote(r["samples"], lambda s: s["scores"][-1] if s["scores"] else 0.0)) for r in rows) / n
    sc, lb, asc, alb, aco = [], [], [], [], []
    for r in rows:
        for s in r["samples"]:
            sc += s["scores"]
            lb += [int(x) for x in s["labels"]]
            if s["steps"] and _is_answer_line(s["steps"][-1]):
                asc.append(s["scores"][-1])
                alb.append(int(s["labels"][-1]))
                aco.append(int(s["correct"]))
    out["prm_step_auc"] = auc(sc, lb)
    out["prm_answer_auc"] = auc(asc, alb)
    out["prm_answer_auc_vs_answer_correct"] = auc(asc, aco)
    out["step_positive_rate"] = sum(lb) / max(1, len(lb))
    out["answered_rate"] = sum(s["answer"] is not None for r in rows for s in r["samples"]) / len(singles)
    return out


def baseline(rows) -> dict:
    res = OrderedDict()
    for d in sorted({r["difficulty"] for r in rows}):
        res[str(d)] = summarize([r for r in rows if r["difficulty"] == d])
    res["all"] = summarize(rows)
    return res


COLUMNS = [("greedy", "greedy"), ("mean_single", "mean single"), ("pass_at_n", "pass@16"),
           ("majority_at_n", "majority@16"), ("prm_best_of_n", "PRM best-of-16"),
           ("prm_weighted_vote_at_n", "PRM weighted@16"), ("prm_step_auc", "PRM step AUC"),
           ("prm_answer_auc", "PRM answer AUC")]


def markdown(table) -> str:
    head = "| difficulty | " + " | ".join(c[1] for c in COLUMNS) + " |"
    sep = "|---|" + "---|" * len(COLUMNS)
    lines = [head, sep]
    for d, m in table.items():
        cells = []
        for k, _ in COLUMNS:
            v = m[k]
            if v is None:
                cells.append("n/a")
            else:
                cells.append(f"{v:.3f}" if "auc" in k else f"{100 * v:.1f}%")
        lines.append(f"| {d} | " + " | ".join(cells) + " |")
    return "\n".join(lines)
