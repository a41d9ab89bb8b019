"""PyTorch eager reference decoder for the generator benchmark (path (c) of `tts-bench generator`).

Builds the test bed's decoder from models/train/model.py and loads the weights of the very ONNX graph the
services run (models/generator/model.onnx: named initializers, and the anonymous MatMul weights matched to
their Linear layer through the bias added to their output). Decodes with the model's own preallocated KV
cache (model.KVCache), eagerly, the way models/train/infer.py samples.

Protocol: one JSON request per stdin line, one JSON answer per stdout line.
  {"op": "greedy", "prompt": [ids], "tokens": k}                       -> {"tokens": [ids]}
  {"op": "run", "prompt": [ids], "branches": n, "tokens": m, "first_step_max": f,
   "delimiter": id, "eos": [ids], "temperature": t, "seed": s}          -> {"ttfs_ms", "tokens", "seconds",
                                                                           "cpu_seconds", ...}
"""
import json
import os
import sys
import time

import numpy as np
import onnx
import torch
from onnx import numpy_helper


def load_model(repo, model_dir):
    sys.path.insert(0, os.path.join(repo, "models", "train"))
    from model import ModelConfig, TinyTransformer, KVCache  # noqa: E402
    with open(os.path.join(model_dir, "config.json")) as f:
        c = json.load(f)
    # Older exports have learned absolute positions ("absolute"), newer ones rotary ("rope").
    rotary = c.get("position_embedding_type", "absolute") in ("rope", "rotary")
    cfg = ModelConfig(vocab_size=c["vocab_size"], d_model=c["hidden_size"], n_layers=c["num_hidden_layers"],
                      n_heads=c["num_attention_heads"], d_ff=c["intermediate_size"],
                      max_positions=c["max_position_embeddings"], position="rope" if rotary else "learned",
                      rope_theta=c.get("rope_theta", 10000.0))
    model = TinyTransformer(cfg)
    graph = onnx.load(os.path.join(model_dir, "model.onnx")).graph
    weights = {i.name: numpy_helper.to_array(i) for i in graph.initializer}
    state = {}
    for name, value in weights.items():
        if name.startswith("model."):
            state[name[len("model."):]] = torch.from_numpy(value.copy())
    consumers = {}
    for node in graph.node:
        for inp in node.input:
            consumers.setdefault(inp, []).append(node)
    for node in graph.node:
        if node.op_type != "MatMul":
            continue
        w = next((i for i in node.input if i in weights and not i.startswith("model.")), None)
        if w is None:
            continue
        for add in consumers.get(node.output[0], []):
            bias = next((i for i in add.input if i.startswith("model.") and i.endswith(".bias")), None)
            if add.op_type == "Add" and bias is not None:
                state[bias[len("model."):-len(".bias")] + ".weight"] = torch.from_numpy(weights[w].T.copy())
    missing, unexpected = model.load_state_dict(state, strict=False)
    if missing or unexpected:
        raise SystemExit(f"weights do not match model.py: missing {missing}, unexpected {unexpected}")
    model.eval()
    return model, KVCache


@torch.no_grad()
def greedy(model, kv_cache, prompt, k):
    cache = kv_cache(model.cfg, 1, len(prompt) + k + 1)
    ids = torch.tensor([prompt])
    logits, _ = model(ids, torch.ones_like(ids), torch.arange(len(prompt)).unsqueeze(0), cache=cache)
    out = []
    pos = len(prompt)
    mask = torch.ones((1, pos), dtype=torch.long)
    for _ in range(k):
        t = int(torch.argmax(logits[0, -1]))
        out.append(t)
        mask = torch.cat([mask, torch.ones((1, 1), dtype=torch.long)], dim=1)
        logits, _ = model(torch.tensor([[t]]), mask, torch.tensor([[pos]]), cache=cache)
        pos += 1
    return out


@torch.no_grad()
def run(model, kv_cache, req):
    n, m, first_max = req["branches"], req["tokens"], req["first_step_max"]
    prompt, delimiter = req["prompt"], req["delimiter"]
    temperature = req["temperature"]
    gen = torch.Generator().manual_seed(req["seed"])
    started = time.perf_counter()
    cache = kv_cache(model.cfg, n, len(prompt) + first_max + m + 1)
    ids = torch.tensor([prompt] * n)
    mask = torch.ones((n, len(prompt)), dtype=torch.long)
    pos = torch.full((n, 1), len(prompt) - 1, dtype=torch.long)
    logits, _ = model(ids, mask, torch.arange(len(prompt)).unsqueeze(0).expand(n, -1), cache=cache)
    ban = torch.zeros(model.cfg.vocab_size)
    ban[req["eos"]] = float("-inf")

    def step(lg):
        nonlocal mask, pos
        probs = torch.softmax((lg[:, -1, :] + ban) / temperature, dim=-1)
        nxt = torch.multinomial(probs, 1, generator=gen)
        mask = torch.cat([mask, torch.ones((n, 1), dtype=torch.long)], dim=1)
        pos = pos + 1
        out, _ = model(nxt, mask, pos, cache=cache)
        return nxt, out

    ttfs = None
    stepped = torch.zeros(n, dtype=torch.bool)
    first = 0
    while first < first_max and not bool(stepped.all()):
        nxt, logits = step(logits)
        first += 1
        hit = nxt.squeeze(1) == delimiter
        if ttfs is None and bool(hit.any()):
            ttfs = time.perf_counter() - started
        stepped |= hit
    t0 = time.perf_counter()
    c0 = time.process_time()
    for _ in range(m):
        _, logits = step(logits)
    seconds = time.perf_counter() - t0
    cpu_seconds = time.process_time() - c0
    return {"ttfs_ms": None if ttfs is None else ttfs * 1000, "tokens": n * m, "seconds": seconds,
            "cpu_seconds": cpu_seconds,
            "first_step_tokens": first, "threads": torch.get_num_threads()}


def main():
    repo, model_dir, threads = sys.argv[1], sys.argv[2], int(sys.argv[3])
    torch.set_num_threads(threads)
    model, kv_cache = load_model(repo, model_dir)
    print(json.dumps({"ready": True, "torch": torch.__version__, "threads": torch.get_num_threads()}), flush=True)
    for line in sys.stdin:
        req = json.loads(line)
        if req["op"] == "greedy":
            print(json.dumps({"tokens": greedy(model, kv_cache, req["prompt"], req["tokens"])}), flush=True)
        elif req["op"] == "run":
            print(json.dumps(run(model, kv_cache, req)), flush=True)
        else:
            print(json.dumps({"error": "unknown op " + req["op"]}), flush=True)


if __name__ == "__main__":
    main()
