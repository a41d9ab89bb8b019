"""Countdown grader fixtures: hand-written cases with hand-written expectations.

``write()`` checks every case against the Python reference (``countdown.py``) and writes
``models/countdown/eval/grader-fixtures.jsonl``; the Java plug-in (``tasks/countdown``) is tested against the
same file. Labels: one letter per line, ``T`` / ``F``.
"""
import json

import countdown as cd

N1, T1 = [3, 7, 9, 2], 24
GOOD1 = "9-3=6; 7 2 6\n7-2=5; 6 5\n6*5=30; 30\nA: 30"  # reaches 30, not 24: the last step breaks a rule
# (name, numbers, target, completion, rule labels, oracle labels, answer key, correct)
CASES = [
    ("correct_k3", [3, 10, 2], 16, "2*3=6; 10 6\n6+10=16; 16\nA: 16", "TTT", "TTT", "2*3=6,6+10=16", True),
    ("correct_k3_trailing_newline", [3, 10, 2], 16, "2*3=6; 10 6\n6+10=16; 16\nA: 16\n", "TTT", "TTT",
     "2*3=6,6+10=16", True),
    ("correct_operands_swapped_same_key", [3, 10, 2], 16, "3*2=6; 10 6\n10+6=16; 16\nA: 16", "TTT", "TTT",
     "2*3=6,6+10=16", True),
    ("k4_unreachable_from_the_first_step", [12, 4, 5, 6], 18, "12/4=3; 5 6 3\n5*3=15; 6 15\n6+15=21; 21\nA: 21", "TTFF",
     "FFFF", "12/4=3,3*5=15,6+15=21", False),
    ("correct_k4", [12, 4, 5, 6], 21, "12/4=3; 5 6 3\n5*3=15; 6 15\n6+15=21; 21\nA: 21", "TTTT", "TTTT",
     "12/4=3,3*5=15,6+15=21", True),
    ("final_value_not_target", N1, T1, GOOD1, "TTFF", "FFFF", "5*6=30,7-2=5,9-3=6", False),
    ("dead_end_first_step", [2, 2, 3], 12, "2-2=0; 3 0\n", "F", "F", None, False),
    ("k3_repeated_numbers", [2, 2, 3], 12, "2+2=4; 3 4\n4*3=12; 12\nA: 12", "TTT", "TTT", "2+2=4,3*4=12", True),
    ("valid_step_unreachable_after", [2, 2, 3], 12, "2+3=5; 2 5\n5*2=10; 10\nA: 10", "TFF", "FFF",
     "2*5=10,2+3=5", False),
    ("wrong_arithmetic", [3, 10, 2], 16, "2*3=5; 10 5\n5+10=15; 15\nA: 16", "FFF", "FFF", "2*3=5,5+10=15", False),
    ("unavailable_operand", [3, 10, 2], 16, "4*4=16; 3 10 2\nA: 16", "FF", "FF", "4*4=16", False),
    ("operand_used_twice", [3, 10, 2], 16, "3*2=6; 10 6\n3+10=13; 6 13\nA: 16", "TFF", "TFF", "2*3=6,3+10=13", False),
    ("repeated_number_available_twice", [4, 4, 3], 19, "4*4=16; 3 16\n16+3=19; 19\nA: 19", "TTT", "TTT",
     "3+16=19,4*4=16", True),
    ("wrong_pool", [3, 10, 2], 16, "2*3=6; 10 2 6\n6+10=16; 16\nA: 16", "FFF", "FFF", "2*3=6,6+10=16", False),
    ("pool_in_other_order_is_fine", [3, 10, 2], 16, "2*3=6; 6 10\n6+10=16; 16\nA: 16", "TTT", "TTT",
     "2*3=6,6+10=16", True),
    ("missing_pool", [3, 10, 2], 16, "2*3=6\n6+10=16; 16\nA: 16", "FFF", "FFF", "2*3=6,6+10=16", False),
    ("negative_result", [3, 10, 2], 16, "3-10=7; 2 7\nA: 16", "FF", "FF", "3-10=7", False),
    ("subtraction_to_zero", [5, 5, 9], 14, "5-5=0; 9 0\n9+0=9; 9\nA: 9", "FFF", "FFF", "0+9=9,5-5=0", False),
    ("inexact_division", [7, 2, 10], 13, "7/2=3; 10 3\n10+3=13; 13\nA: 13", "FFF", "FFF", "3+10=13,7/2=3", False),
    ("value_over_99", [12, 9, 2], 54, "12*9=108; 2 108\nA: 54", "FF", "FF", "9*12=108", False),
    ("missing_answer_line", [3, 10, 2], 16, "2*3=6; 10 6\n6+10=16; 16", "TT", "TT", None, False),
    ("answer_line_too_early", [3, 10, 2], 16, "2*3=6; 10 6\nA: 16", "TF", "TF", "2*3=6", False),
    ("answer_not_target", [3, 10, 2], 16, "2*3=6; 10 6\n6+10=16; 16\nA: 15", "TTF", "TTF", "2*3=6,6+10=16", False),
    ("answer_without_space", [3, 10, 2], 16, "2*3=6; 10 6\n6+10=16; 16\nA:16", "TTF", "TTF", "2*3=6,6+10=16", False),
    ("step_after_answer", [3, 10, 2], 16, "2*3=6; 10 6\n6+10=16; 16\nA: 16\n1+1=2; 2", "TTTF", "TTTF",
     "2*3=6,6+10=16", False),
    ("step_after_pool_of_one", [3, 10, 2], 16, "2*3=6; 10 6\n6+10=16; 16\n16-16=0; 0\nA: 16", "TTFF", "TTFF",
     "16-16=0,2*3=6,6+10=16", False),
    ("blank_line", [3, 10, 2], 16, "2*3=6; 10 6\n\n6+10=16; 16\nA: 16", "TFFF", "TFFF", None, False),
    ("spaces_inside_step", [3, 10, 2], 16, "2 * 3 = 6; 10 6\n6+10=16; 16\nA: 16", "FFF", "FFF", None, False),
    ("leading_zero", [3, 10, 2], 16, "2*3=06; 10 6\n6+10=16; 16\nA: 16", "FFF", "FFF", None, False),
    ("surrounding_whitespace_stripped", [3, 10, 2], 16, "  2*3=6; 10 6\t\n6+10=16; 16\r\nA: 16  ", "TTT", "TTT",
     "2*3=6,6+10=16", True),
    ("empty_completion", [3, 10, 2], 16, "", "", "", None, False),
    ("only_answer", [3, 10, 2], 16, "A: 16", "F", "F", None, False),
    ("garbage", [3, 10, 2], 16, "hello\nA: 16", "FF", "FF", None, False),
    ("double_space_pool", [3, 10, 2], 16, "2*3=6; 10  6\n6+10=16; 16\nA: 16", "FFF", "FFF", "2*3=6,6+10=16", False),
    ("answer_leading_zero", [8, 2, 5], 20, "8/2=4; 5 4\n5*4=20; 20\nA: 020", "TTF", "TTF", "4*5=20,8/2=4", False),
    ("pool_separator_without_space_no_key", [9, 7, 2], 32, "9+7=16;2 16\n16*2=32; 32\nA: 32", "FFF", "FFF", None,
     False),
    ("k5_reaches_another_value", [2, 3, 4, 5, 6], 30, "2+3=5; 4 5 6 5\n4+6=10; 5 5 10\n5*5=25; 10 25\n25+10=35; 35\nA: 35",
     "TTTFF", "TFFFF", "10+25=35,2+3=5,4+6=10,5*5=25", False),
    ("k5_correct", [2, 3, 4, 5, 6], 35, "2+3=5; 4 5 6 5\n4+6=10; 5 5 10\n5*5=25; 10 25\n25+10=35; 35\nA: 35",
     "TTTTT", "TTTTT", "10+25=35,2+3=5,4+6=10,5*5=25", True),
]


def cases():
    out = []
    for name, numbers, target, comp, rules, oracle, key, correct in CASES:
        out.append({"name": name, "numbers": numbers, "target": target, "completion": comp,
                    "rule_labels": [c == "T" for c in rules], "oracle_labels": [c == "T" for c in oracle],
                    "answer": key, "correct": correct})
    return out


def check():
    bad = []
    names = set()
    for c in cases():
        assert c["name"] not in names, c["name"]
        names.add(c["name"])
        q = cd.question_text(c["numbers"], c["target"])
        g = cd.grade(q, c["completion"])
        got = {"rule_labels": g.step_labels, "oracle_labels": g.oracle_labels, "answer": g.answer,
               "correct": g.answer_correct}
        want = {k: c[k] for k in got}
        if got != want:
            bad.append((c["name"], got, want))
    if bad:
        raise AssertionError("countdown reference disagrees with fixtures: " + json.dumps(bad, indent=1))


def write(path):
    check()
    with open(path, "w") as f:
        for c in cases():
            f.write(json.dumps(c) + "\n")


if __name__ == "__main__":
    check()
    print(f"{len(CASES)} fixtures agree with the Countdown reference")
