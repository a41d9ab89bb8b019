"""The report's accuracy figures: AUC with ties, and votes that count the chosen sample's correctness."""
import metrics


def test_auc_orders_and_ties():
    assert metrics.auc([0.1, 0.2, 0.8, 0.9], [0, 0, 1, 1]) == 1.0
    assert metrics.auc([0.9, 0.8, 0.2, 0.1], [0, 0, 1, 1]) == 0.0
    assert metrics.auc([0.5, 0.5], [0, 1]) == 0.5
    assert metrics.auc([0.3, 0.4], [1, 1]) is None


def _sample(answer, correct, score):
    return {"answer": answer, "correct": correct, "scores": [score], "labels": [correct], "steps": ["A: x"]}


def test_majority_and_weighted_votes_pick_different_groups():
    samples = [_sample("7", False, 0.1), _sample("7", False, 0.1), _sample("9", True, 0.9)]
    row = {"greedy": {"correct": False}, "samples": samples, "difficulty": 1}
    s = metrics.summarize([row])
    assert s["majority_at_n"] == 0.0
    assert s["prm_weighted_vote_at_n"] == 1.0
    assert s["prm_best_of_n"] == 1.0
    assert s["pass_at_n"] == 1.0


def test_vote_tie_goes_to_the_first_answer_seen():
    samples = [_sample("9", True, 0.5), _sample("7", False, 0.5)]
    row = {"greedy": {"correct": False}, "samples": samples, "difficulty": 1}
    assert metrics.summarize([row])["majority_at_n"] == 1.0
