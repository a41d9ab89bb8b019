"""Grader fixtures: hand-written cases with hand-written expectations.

``write()`` checks every case against the Python grader (``arith.grade``) and writes
``models/eval/grader-fixtures.jsonl``; the Java port is tested against the same file.
Labels: one letter per line, ``T`` correct / ``F`` incorrect.
"""
import json

import arith

Q1, A1 = "(17+25)*3-14", "112"
GOOD1 = "17+25=42\n42*3=126\n126-14=112\nA: 112"

# (name, question, problem answer, completion, expected canonical answer, answer_correct, labels)
CASES = [
    ("correct", Q1, A1, GOOD1, "112", True, "TTTT"),
    ("correct_trailing_newline", Q1, A1, GOOD1 + "\n", "112", True, "TTTT"),
    ("correct_with_eos_removed_no_newline", "2*3+4*5", "26", "2*3=6\n4*5=20\n6+20=26\nA: 26", "26", True, "TTTT"),
    ("wrong_arithmetic_first_step", Q1, A1, "17+25=43\n43*3=129\n129-14=115\nA: 115", "115", False, "FFFF"),
    ("wrong_arithmetic_last_step", Q1, A1, "17+25=42\n42*3=126\n126-14=113\nA: 113", "113", False, "TTFF"),
    ("right_arithmetic_wrong_operand", Q1, A1, "17+25=42\n42*4=168\n168-14=154\nA: 154", "154", False, "TFFF"),
    ("precedence_error", "17+25*3", "92", "17+25=42\n42*3=126\nA: 126", "126", False, "FFF"),
    ("precedence_correct", "17+25*3", "92", "25*3=75\n17+75=92\nA: 92", "92", True, "TTT"),
    ("valid_alternative_order", "2*3+4*5", "26", "4*5=20\n2*3=6\n6+20=26\nA: 26", "26", True, "TTTT"),
    ("operands_swapped_commutative", "2*3+4*5", "26", "3*2=6\n4*5=20\n6+20=26\nA: 26", "26", True, "FFFF"),
    ("operands_swapped_subtraction", "50-8", "42", "8-50=-42\nA: 42", "42", True, "FF"),
    ("missing_answer_line", Q1, A1, "17+25=42\n42*3=126\n126-14=112", None, False, "TTT"),
    ("missing_answer_line_trailing_newline", Q1, A1, "17+25=42\n42*3=126\n126-14=112\n", None, False, "TTT"),
    ("answer_right_steps_wrong", Q1, A1, "17+25=40\nA: 112", "112", True, "FF"),
    ("answer_only", Q1, A1, "A: 112", "112", True, "F"),
    ("answer_line_too_early", Q1, A1, "17+25=42\nA: 42", "42", False, "TF"),
    ("answer_value_right_tree_not_reduced", Q1, A1, "17+25=42\n42*3=126\nA: 112", "112", True, "TTF"),
    ("malformed_spaces_inside_step", Q1, A1, "17 + 25 = 42\n42*3=126\n126-14=112\nA: 112", "112", True, "FFFF"),
    ("malformed_garbage_line", Q1, A1, "hello\nA: 112", "112", True, "FF"),
    ("malformed_missing_equals", Q1, A1, "17+25\n42*3=126", None, False, "FF"),
    ("malformed_two_operations", "17+25*3", "92", "17+25*3=92\nA: 92", "92", True, "FF"),
    ("malformed_plus_sign_result", Q1, A1, "17+25=+42\n42*3=126\n126-14=112\nA: 112", "112", True, "FFFF"),
    ("malformed_plus_sign_operand", "2+3", "5", "+2+3=5\nA: 5", "5", True, "FF"),
    ("malformed_leading_zero_in_step", Q1, A1, "17+25=042\n42*3=126\n126-14=112\nA: 112", "112", True, "FFFF"),
    ("malformed_negative_in_parentheses", "7-(5-38)", "40", "5-38=(-33)\n7--33=40\nA: 40", "40", True, "FFF"),
    ("malformed_question_line_repeated", "2+3", "5", "Q: 2+3\n2+3=5\nA: 5", "5", True, "FFF"),
    ("negative_numbers", "7-(5-38)", "40", "5-38=-33\n7--33=40\nA: 40", "40", True, "TTT"),
    ("negative_times", "(5-38)*3", "-99", "5-38=-33\n-33*3=-99\nA: -99", "-99", True, "TTT"),
    ("negative_result_wrong_sign", "5-38", "-33", "5-38=33\nA: 33", "33", False, "FF"),
    ("negative_chain", "10-(3-20)-(1-50)", "76", "3-20=-17\n10--17=27\n1-50=-49\n27--49=76\nA: 76", "76", True, "TTTTT"),
    ("negative_chain_alternative_order", "10-(3-20)-(1-50)", "76", "3-20=-17\n1-50=-49\n10--17=27\n27--49=76\nA: 76", "76", True, "TTTTT"),
    ("negative_zero_answer", "(5-5)*3", "0", "5-5=0\n0*3=0\nA: -0", "0", True, "TTT"),
    ("negative_zero_in_step_is_malformed", "(5-5)*3", "0", "5-5=-0\n0*3=0\nA: 0", "0", True, "FFF"),
    ("plus_zero_answer", "(5-5)*3", "0", "5-5=0\n0*3=0\nA: +0", "0", True, "TTT"),
    ("leading_zeros_answer", Q1, A1, "17+25=42\n42*3=126\n126-14=112\nA: 0112", "112", True, "TTTT"),
    ("many_leading_zeros_answer", Q1, A1, "A: 000000000000000000000000000112", "112", True, "F"),
    ("negative_leading_zeros_answer", "3-10", "-7", "3-10=-7\nA: -007", "-7", True, "TT"),
    ("plus_sign_answer", "2+3", "5", "2+3=5\nA: +5", "5", True, "TT"),
    ("huge_answer", "2+3", "5", "2+3=5\nA: 123456789012345678901234567890", "123456789012345678901234567890", False, "TF"),
    ("huge_number_in_step", "2+3", "5", "2+3=99999999999999999999999\nA: 5", "5", True, "FF"),
    ("trailing_spaces", "2+3", "5", "2+3=5  \nA: 5   ", "5", True, "TT"),
    ("leading_spaces", "2+3", "5", "  2+3=5\n  A: 5", "5", True, "TT"),
    ("tabs", "2+3", "5", "\t2+3=5\t\nA:\t5\t", "5", True, "TT"),
    ("crlf_line_endings", "2+3", "5", "2+3=5\r\nA: 5\r\n", "5", True, "TT"),
    ("answer_without_space", "2+3", "5", "2+3=5\nA:5", "5", True, "TT"),
    ("multiple_answer_lines_first_right", "2+3", "5", "2+3=5\nA: 5\nA: 6", "5", True, "TTF"),
    ("multiple_answer_lines_first_wrong", "2+3", "5", "2+3=5\nA: 6\nA: 5", "6", False, "TFF"),
    ("first_answer_line_malformed", Q1, A1, GOOD1.replace("A: 112", "A: one hundred\nA: 112"), None, False, "TTTFF"),
    ("steps_after_answer", "2+3", "5", "2+3=5\nA: 5\n1+1=2", "5", True, "TTF"),
    ("blank_line_between_steps", "2+3", "5", "2+3=5\n\nA: 5", "5", True, "TFF"),
    ("two_trailing_newlines", "2+3", "5", "2+3=5\nA: 5\n\n", "5", True, "TTF"),
    ("empty_completion", "2+3", "5", "", None, False, ""),
    ("only_newline", "2+3", "5", "\n", None, False, "F"),
    ("answer_empty", "2+3", "5", "2+3=5\nA:", None, False, "TF"),
    ("answer_only_spaces", "2+3", "5", "2+3=5\nA:    ", None, False, "TF"),
    ("answer_with_words", "2+3", "5", "2+3=5\nA: 5 apples", None, False, "TF"),
    ("answer_sign_space", "3-10", "-7", "3-10=-7\nA: - 7", None, False, "TF"),
    ("answer_double_sign", "3-10", "-7", "3-10=-7\nA: --7", None, False, "TF"),
    ("answer_decimal", "2+3", "5", "2+3=5\nA: 5.0", None, False, "TF"),
    ("answer_non_ascii_digit", "2+3", "5", "2+3=5\nA: \u0665", None, False, "TF"),
    ("step_fullwidth_digit", "2+3", "5", "\uff12+3=5\nA: 5", "5", True, "FF"),
    ("lowercase_answer_prefix", "2+3", "5", "2+3=5\na: 5", None, False, "TF"),
    ("answer_word_prefix", "2+3", "5", "2+3=5\nAnswer: 5", None, False, "TF"),
    ("repeated_step", Q1, A1, "17+25=42\n17+25=42\n42*3=126\n126-14=112\nA: 112", "112", True, "TFFFF"),
    ("duplicate_subtrees_first_in_post_order", "2*3-2*3*4", "-18", "2*3=6\n2*3=6\n6*4=24\n6-24=-18\nA: -18", "-18", True, "TTTTT"),
    ("duplicate_subtrees_tie_rule", "2*3-2*3*4", "-18", "2*3=6\n6*4=24\n2*3=6\n6-24=-18\nA: -18", "-18", True, "TFFFF"),
    ("big_multiplication", "(99+98)*12*4", "9456", "99+98=197\n197*12=2364\n2364*4=9456\nA: 9456", "9456", True, "TTTT"),
    ("big_multiplication_digit_slip", "(99+98)*12*4", "9456", "99+98=197\n197*12=2364\n2364*4=9465\nA: 9465", "9465", False, "TTFF"),
    ("left_assoc_subtraction", "61-6-40", "15", "61-6=55\n55-40=15\nA: 15", "15", True, "TTT"),
    ("left_assoc_subtraction_wrong_grouping", "61-6-40", "15", "6-40=-34\n61--34=95\nA: 95", "95", False, "FFF"),
    ("right_parenthesised_subtraction", "61-(6-40)", "95", "6-40=-34\n61--34=95\nA: 95", "95", True, "TTT"),
    ("mid_step_eos_truncated", Q1, A1, "17+25=42\n42*3=12", None, False, "TF"),
    ("answer_then_error_in_second_line", "2*3+4*5", "26", "2*3=6\n4*5=21\n6+21=27\nA: 27", "27", False, "TFFF"),
]


def cases():
    out = []
    for name, q, ans, comp, exp_ans, exp_ok, labels in CASES:
        out.append({"id": name, "question": q, "answer": ans, "completion": comp,
                    "expected": {"answer": exp_ans, "answer_correct": exp_ok,
                                 "step_labels": [c == "T" for c in labels]}})
    return out


def check():
    bad = []
    names = set()
    for c in cases():
        assert c["id"] not in names, c["id"]
        names.add(c["id"])
        g = arith.grade(c["question"], c["completion"], c["answer"])
        if g.to_json() != c["expected"]:
            bad.append((c["id"], g.to_json(), c["expected"]))
        assert str(arith.evaluate(arith.parse_expression(c["question"]))) == c["answer"], c["id"]
    if bad:
        raise AssertionError("grader disagrees with fixtures: " + json.dumps(bad, indent=1))


def write(path):
    check()
    with open(path, "w") as f:
        for c in cases():
            f.write(json.dumps(c, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    check()
    print(f"{len(CASES)} fixtures agree with the Python grader")
