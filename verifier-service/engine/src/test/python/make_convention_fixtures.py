"""Tiny synthetic PRM graphs that follow the public scoring conventions, for the verifier's tests.

For each convention (Qwen2.5-Math-PRM, Math-Shepherd) this writes a model directory in the Optimum
layout under src/test/resources/conventions/<name>/:

  config.json     the fields io.ttsmesh.runtime.ModelConfig reads
  tokenizer.json  char-level WordLevel over printable ASCII, plus the convention's own tokens as
                  added tokens (<extra_0>, <|im_start|>, ..., <s>, "ки") so they encode as one id
  model.onnx      a plain graph like the public exports: input_ids, attention_mask (+ position_ids for
                  the Math-Shepherd style) -> logits; no KV past
  expected.json   scoring cases with the scores computed here, independently of the Java code: the
                  text is formatted from the convention's .properties file, tokenized by the replica
                  below, run through a numpy replica of the graph, and read at the score-token
                  positions with the convention's math

The graph is causal and position dependent (a masked prefix sum of token embeddings plus a sinusoidal
position term, then a tanh layer), so reading the wrong position, mishandling padding or taking the
wrong class gives a different number. Logits: 2 classes (Qwen style) or the whole vocabulary (Math-
Shepherd style, scored by a softmax restricted to "+" and "-").

Run with the Debian packages (python3-onnx, python3-numpy):
  /usr/bin/python3 verifier-service/engine/src/test/python/make_convention_fixtures.py
The output is deterministic (fixed seeds).
"""
import json
import os
import re

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))
ENGINE = os.path.normpath(os.path.join(HERE, "..", "..", ".."))
CONVENTIONS = os.path.join(ENGINE, "src", "main", "resources", "io", "ttsmesh", "verifier", "conventions")
OUT = os.path.join(ENGINE, "src", "test", "resources", "conventions")
OPSET = 14
D = 8  # hidden width

# ----------------------------------------------------------------------------- properties
_ESC = {"n": "\n", "t": "\t", "r": "\r", "f": "\f"}


def read_properties(path):
    """The subset of java.util.Properties syntax our convention files use (read as UTF-8)."""
    props = {}
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    i = 0
    while i < len(lines):
        line = lines[i].lstrip(" \t\f")
        i += 1
        if not line or line[0] in "#!":
            continue
        while line.endswith("\\") and not line.endswith("\\\\") and i < len(lines):
            line = line[:-1] + lines[i].lstrip(" \t\f")
            i += 1
        m = re.match(r"((?:\\.|[^=:\s\\])+)\s*[=:]?\s*(.*)$", line)
        key, raw = m.group(1), m.group(2)
        props[_unescape(key)] = _unescape(raw)
    return props


def _unescape(s):
    out, i = [], 0
    while i < len(s):
        c = s[i]
        if c != "\\":
            out.append(c)
            i += 1
            continue
        n = s[i + 1]
        if n == "u":
            out.append(chr(int(s[i + 2:i + 6], 16)))
            i += 6
        else:
            out.append(_ESC.get(n, n))
            i += 2
    return "".join(out)


# ----------------------------------------------------------------------------- tokenizer
CHARS = ["\n"] + [chr(c) for c in range(32, 127)]


class Tokenizer:
    """Char-level vocabulary plus added tokens that are matched first (leftmost, longest)."""

    def __init__(self, added, specials):
        self.vocab = {"<unk>": 0, "<pad>": 1}
        for c in CHARS:
            self.vocab[c] = len(self.vocab)
        self.added = []
        for t in added:
            self.added.append((t, len(self.vocab), t in specials))
            self.vocab[t] = len(self.vocab)
        self.size = len(self.vocab)

    def encode(self, text):
        ids, i = [], 0
        by_len = sorted(self.added, key=lambda a: -len(a[0]))
        while i < len(text):
            for t, tid, _ in by_len:
                if text.startswith(t, i):
                    ids.append(tid)
                    i += len(t)
                    break
            else:
                ids.append(self.vocab.get(text[i], 0))
                i += 1
        return ids

    def json(self):
        return {
            "version": "1.0",
            "truncation": None,
            "padding": None,
            "added_tokens": [{"id": 0, "content": "<unk>", "single_word": False, "lstrip": False,
                              "rstrip": False, "normalized": False, "special": True},
                             {"id": 1, "content": "<pad>", "single_word": False, "lstrip": False,
                              "rstrip": False, "normalized": False, "special": True}]
                            + [{"id": tid, "content": t, "single_word": False, "lstrip": False,
                                "rstrip": False, "normalized": False, "special": sp}
                               for t, tid, sp in self.added],
            "normalizer": None,
            "pre_tokenizer": {"type": "Split", "pattern": {"Regex": "[\\s\\S]"},
                              "behavior": "Isolated", "invert": False},
            "post_processor": None,
            "decoder": {"type": "Fuse"},
            "model": {"type": "WordLevel", "vocab": self.vocab, "unk_token": "<unk>"},
        }


# ----------------------------------------------------------------------------- graph
def weights(seed, vocab, n_out):
    rng = np.random.default_rng(seed)
    return {
        "emb": rng.normal(0, 0.6, (vocab, D)).astype(np.float32),
        "freq": (0.05 + 0.3 * rng.random(D)).astype(np.float32),
        "w1": rng.normal(0, 0.5, (D, D)).astype(np.float32),
        "b1": rng.normal(0, 0.1, (D,)).astype(np.float32),
        "w2": rng.normal(0, 1.5, (D, n_out)).astype(np.float32),
        "b2": rng.normal(0, 0.2, (n_out,)).astype(np.float32),
    }


def build_graph(w, with_position_ids):
    """logits = tanh(cumsum_t(mask * emb[ids]) / sqrt(1 + pos) + sin(pos * freq)) @ W1 + b1 ...) @ W2 + b2"""
    inits = [numpy_helper.from_array(v, k) for k, v in w.items()]
    inits += [numpy_helper.from_array(np.array(1, dtype=np.int64), "axis1"),
              numpy_helper.from_array(np.array([2], dtype=np.int64), "axes2"),
              numpy_helper.from_array(np.array(1.0, dtype=np.float32), "one_f")]
    inputs = [helper.make_tensor_value_info("input_ids", TensorProto.INT64, ["batch_size", "sequence_length"]),
              helper.make_tensor_value_info("attention_mask", TensorProto.INT64, ["batch_size", "sequence_length"])]
    nodes = [
        helper.make_node("Gather", ["emb", "input_ids"], ["x0"]),
        helper.make_node("Cast", ["attention_mask"], ["mask_f"], to=TensorProto.FLOAT),
        helper.make_node("Unsqueeze", ["mask_f", "axes2"], ["mask_u"]),
        helper.make_node("Mul", ["x0", "mask_u"], ["x1"]),
        helper.make_node("CumSum", ["x1", "axis1"], ["c"]),
    ]
    if with_position_ids:
        inputs.append(helper.make_tensor_value_info("position_ids", TensorProto.INT64,
                                                    ["batch_size", "sequence_length"]))
        nodes.append(helper.make_node("Cast", ["position_ids"], ["pos_f"], to=TensorProto.FLOAT))
    else:  # like Hugging Face models do without position_ids: cumsum(mask) - 1
        inits.append(numpy_helper.from_array(np.array(1, dtype=np.int64), "one_i"))
        nodes += [helper.make_node("CumSum", ["attention_mask", "axis1"], ["cm"]),
                  helper.make_node("Sub", ["cm", "one_i"], ["pos_i"]),
                  helper.make_node("Cast", ["pos_i"], ["pos_f"], to=TensorProto.FLOAT)]
    nodes += [
        helper.make_node("Unsqueeze", ["pos_f", "axes2"], ["pos_u"]),
        helper.make_node("Add", ["pos_u", "one_f"], ["pos1"]),
        helper.make_node("Sqrt", ["pos1"], ["norm"]),
        helper.make_node("Div", ["c", "norm"], ["cn"]),
        helper.make_node("Mul", ["pos_u", "freq"], ["ang"]),
        helper.make_node("Sin", ["ang"], ["pe"]),
        helper.make_node("Add", ["cn", "pe"], ["h0"]),
        helper.make_node("MatMul", ["h0", "w1"], ["h1"]),
        helper.make_node("Add", ["h1", "b1"], ["h2"]),
        helper.make_node("Tanh", ["h2"], ["h3"]),
        helper.make_node("MatMul", ["h3", "w2"], ["l0"]),
        helper.make_node("Add", ["l0", "b2"], ["logits"]),
    ]
    n_out = w["w2"].shape[1]
    outputs = [helper.make_tensor_value_info("logits", TensorProto.FLOAT,
                                             ["batch_size", "sequence_length", n_out])]
    graph = helper.make_graph(nodes, "synthetic_prm", inputs, outputs, inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)],
                              producer_name="tts-mesh make_convention_fixtures.py")
    model.ir_version = 8
    onnx.checker.check_model(model)
    return model


def logits_ref(w, ids):
    """numpy replica of the graph for one unpadded sequence (positions 0..n-1)."""
    ids = np.array(ids)
    pos = np.arange(len(ids), dtype=np.float32)[:, None]
    c = np.cumsum(w["emb"][ids], axis=0, dtype=np.float32)
    h = c / np.sqrt(pos + 1.0) + np.sin(pos * w["freq"])
    h = np.tanh(h @ w["w1"] + w["b1"])
    return h @ w["w2"] + w["b2"]


def softmax(v):
    e = np.exp(v - v.max())
    return e / e.sum()


# ----------------------------------------------------------------------------- conventions
CASES = [
    ("What is 3+4*2?", ["4*2=8", "3+8=11", "The answer is 11"]),
    ("Compute (12-5)*3.", ["12-5=7", "7*3=21"]),
    ("How many legs do 3 ducks and 2 cows have?", ["Ducks: 3*2=6 legs", "Cows: 2*4=8 legs", "6+8=14",
                                                    "So 14 legs in all"]),
    ("1+1?", ["2"]),
    ("What is 9-10?", ["9-10=-1", "A: -1"]),
]

SPEC = {
    "qwen2.5-math-prm": {
        "added": ["<|endoftext|>", "<|im_start|>", "<|im_end|>", "<extra_0>"],
        "specials": {"<|endoftext|>", "<|im_start|>", "<|im_end|>", "<extra_0>"},
        "position_ids": False, "seed": 25, "context": 512, "model_type": "qwen2",
    },
    "math-shepherd": {
        "added": ["<s>", "</s>", "\u043a\u0438"],
        "specials": {"<s>", "</s>"},
        "position_ids": True, "seed": 7, "context": 512, "model_type": "mistral",
    },
}


def score_case(props, tk, w, question, steps):
    text = props["question-template"].replace("{question}", question)
    text += "".join(s + props["step-separator"] for s in steps)
    ids = tk.encode(text)
    score_id = tk.encode(props["score-token"])[-1]
    prefix_marks = tk.encode(props["question-template"].replace("{question}", question)).count(score_id)
    positions = [i for i, t in enumerate(ids) if t == score_id][prefix_marks:]
    assert len(positions) == len(steps), (question, steps)
    lg = logits_ref(w, ids)
    scores = []
    for p in positions:
        if props["readout"] == "two-class":
            scores.append(float(softmax(lg[p])[int(props.get("positive-index", "1"))]))
        else:
            pos_id, neg_id = tk.encode(props["positive-token"])[-1], tk.encode(props["negative-token"])[-1]
            scores.append(float(softmax(np.array([lg[p][pos_id], lg[p][neg_id]]))[0]))
    return {"question": question, "steps": steps, "token_count": len(ids), "score_positions": positions,
            "scores": scores}


def main():
    for name, spec in SPEC.items():
        props = read_properties(os.path.join(CONVENTIONS, name + ".properties"))
        tk = Tokenizer(spec["added"], spec["specials"])
        n_out = 2 if props["readout"] == "two-class" else tk.size
        w = weights(spec["seed"], tk.size, n_out)
        d = os.path.join(OUT, name)
        os.makedirs(d, exist_ok=True)
        onnx.save(build_graph(w, spec["position_ids"]), os.path.join(d, "model.onnx"))
        with open(os.path.join(d, "tokenizer.json"), "w", encoding="utf-8") as f:
            json.dump(tk.json(), f, indent=1, ensure_ascii=False)
            f.write("\n")
        config = {"model_type": spec["model_type"], "num_hidden_layers": 1, "num_attention_heads": 1,
                  "hidden_size": D, "max_position_embeddings": spec["context"], "vocab_size": tk.size,
                  "pad_token_id": 1, "synthetic": "tts-mesh convention fixture: " + name}
        with open(os.path.join(d, "config.json"), "w") as f:
            json.dump(config, f, indent=2)
            f.write("\n")
        cases = [score_case(props, tk, w, q, s) for q, s in CASES]
        with open(os.path.join(d, "expected.json"), "w", encoding="utf-8") as f:
            json.dump({"convention": name, "cases": cases}, f, indent=1, ensure_ascii=False)
            f.write("\n")
        print(name, tk.size, "tokens;", [c["token_count"] for c in cases], "->",
              os.path.getsize(os.path.join(d, "model.onnx")), "bytes")


if __name__ == "__main__":
    main()
