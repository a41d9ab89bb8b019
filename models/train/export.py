"""ONNX export of the test-bed models (Optimum decoder layout) and the export checks."""
import json
import os
import shutil
import subprocess
import tempfile

import numpy as np
import onnx
import torch

import chartok as tok
import data
from model import OnnxWrapper, TinyTransformer

OPSET = 14
HERE = os.path.dirname(os.path.abspath(__file__))


def io_names(n_layers):
    past = []
    present = []
    for i in range(n_layers):
        past += [f"past_key_values.{i}.key", f"past_key_values.{i}.value"]
        present += [f"present.{i}.key", f"present.{i}.value"]
    return ["input_ids", "attention_mask", "position_ids"] + past, ["logits"] + present


def export_onnx(model: TinyTransformer, path: str):
    cfg = model.cfg
    model.eval()
    wrapper = OnnxWrapper(model)
    b, s, p = 2, 3, 5  # trace with a past length > 0 so it stays dynamic
    ids = torch.randint(4, cfg.vocab_size, (b, s))
    mask = torch.ones((b, p + s), dtype=torch.long)
    pos = torch.arange(p, p + s).unsqueeze(0).expand(b, s).contiguous()
    past = []
    for _ in range(cfg.n_layers):
        past += [torch.zeros(b, cfg.n_heads, p, cfg.head_dim),
                 torch.zeros(b, cfg.n_heads, p, cfg.head_dim)]
    in_names, out_names = io_names(cfg.n_layers)
    dyn = {"input_ids": {0: "batch_size", 1: "sequence_length"},
           "attention_mask": {0: "batch_size", 1: "total_sequence_length"},
           "position_ids": {0: "batch_size", 1: "sequence_length"},
           "logits": {0: "batch_size", 1: "sequence_length"}}
    for n in in_names[3:]:
        dyn[n] = {0: "batch_size", 2: "past_sequence_length"}
    for n in out_names[1:]:
        dyn[n] = {0: "batch_size", 2: "total_sequence_length"}
    with torch.no_grad():
        torch.onnx.export(wrapper, (ids, mask, pos, *past), path, input_names=in_names,
                          output_names=out_names, dynamic_axes=dyn, opset_version=OPSET,
                          do_constant_folding=True)
    m = onnx.load(path)
    onnx.checker.check_model(m)
    return os.path.getsize(path)


# --------------------------------------------------------------------------- checks
def _empty_past(cfg, b, p=0):
    return [(torch.zeros(b, cfg.n_heads, p, cfg.head_dim),
             torch.zeros(b, cfg.n_heads, p, cfg.head_dim)) for _ in range(cfg.n_layers)]


def _left_pad(seqs):
    L = max(len(s) for s in seqs)
    ids = torch.full((len(seqs), L), tok.PAD_ID, dtype=torch.long)
    mask = torch.zeros((len(seqs), L), dtype=torch.long)
    for i, s in enumerate(seqs):
        ids[i, L - len(s):] = torch.tensor(s)
        mask[i, L - len(s):] = 1
    pos = (torch.cumsum(mask, 1) - 1).clamp(min=0)
    return ids, mask, pos


def check_generator_torch(model, texts):
    """Incremental decoding with a KV cache and left padding == one full pass."""
    model.eval()
    seqs = [tok.encode(t) for t in texts]
    ids, mask, pos = _left_pad(seqs)
    with torch.no_grad():
        full, _ = model(ids, mask, pos)
        split = 7
        lg1, past = model(ids[:, :split], mask[:, :split], pos[:, :split])
        parts = [lg1]
        for t in range(split, ids.shape[1]):
            lg, past = model(ids[:, t:t + 1], mask[:, :t + 1], pos[:, t:t + 1], past)
            parts.append(lg)
        inc = torch.cat(parts, dim=1)
    valid = mask.bool()
    return float((full - inc).abs()[valid].max())


def check_prm_torch(model, items):
    """Step by step with the KV past == full pass, at every scored delimiter."""
    model.eval()
    worst = 0.0
    with torch.no_grad():
        for q, lines in items:
            text = data.prm_text(q, lines)
            ids = torch.tensor([tok.encode(text)])
            n = ids.shape[1]
            full, _ = model(ids, torch.ones_like(ids), torch.arange(n).unsqueeze(0))
            # chunks: the question line, then one step (with its delimiter) at a time
            bounds = [i + 1 for i, t in enumerate(ids[0].tolist()) if t == tok.NEWLINE_ID]
            past = _empty_past(model.cfg, 1)
            start = 0
            for end in bounds:
                chunk = ids[:, start:end]
                lg, past = model(chunk, torch.ones((1, end), dtype=torch.long),
                                 torch.arange(start, end).unsqueeze(0), past)
                worst = max(worst, float((lg - full[:, start:end]).abs().max()))
                start = end
    return worst


def _feeds(cfg, ids, mask, pos, past):
    f = {"input_ids": ids, "attention_mask": mask, "position_ids": pos}
    for i, (k, v) in enumerate(past):
        f[f"past_key_values.{i}.key"] = k
        f[f"past_key_values.{i}.value"] = v
    return f


def _tensor_json(t):
    if t.dtype == torch.long:
        return {"type": "int64", "dims": list(t.shape), "data": t.reshape(-1).tolist()}
    return {"type": "float32", "dims": list(t.shape), "data": t.reshape(-1).tolist()}


def find_ort_node(work_dir):
    """Directory of the onnxruntime-node package, installing it into work_dir if needed."""
    if shutil.which("node") is None:
        return None
    cands = [os.environ.get("ORT_NODE_DIR"), os.path.join(work_dir, "node_modules", "onnxruntime-node")]
    for c in cands:
        if c and os.path.exists(os.path.join(c, "package.json")):
            return os.path.abspath(c)
    if shutil.which("npm") is None:
        return None
    os.makedirs(work_dir, exist_ok=True)
    try:
        subprocess.run(["npm", "install", "--prefix", work_dir, "--ignore-scripts", "--no-save",
                        "onnxruntime-node"], check=True, capture_output=True, timeout=600)
    except Exception as e:  # pragma: no cover
        print("  (could not install onnxruntime-node:", e, ")")
        return None
    c = cands[1]
    return os.path.abspath(c) if os.path.exists(os.path.join(c, "package.json")) else None


def check_onnx_vs_torch(model, onnx_path, cases, ort_dir):
    """cases: list of (ids, mask, pos, past) torch tensors. Returns max |diff| over all outputs,
    plus the graph's input and output names as ONNX Runtime sees them."""
    cfg = model.cfg
    in_names, out_names = io_names(cfg.n_layers)
    spec = {"model": os.path.abspath(onnx_path), "cases": []}
    expected = []
    with torch.no_grad():
        for ids, mask, pos, past in cases:
            spec["cases"].append({"feeds": {k: _tensor_json(v) for k, v in
                                            _feeds(cfg, ids, mask, pos, past).items()},
                                  "fetch": out_names})
            lg, pres = model(ids, mask, pos, past)
            exp = [lg] + [t for kv in pres for t in kv]
            expected.append(exp)
    with tempfile.TemporaryDirectory() as td:
        ip, op = os.path.join(td, "in.json"), os.path.join(td, "out.json")
        with open(ip, "w") as f:
            json.dump(spec, f)
        subprocess.run(["node", os.path.join(HERE, "ort_check.mjs"), ort_dir, ip, op], check=True)
        with open(op) as f:
            res = json.load(f)
    worst = 0.0
    for exp, got in zip(expected, res["results"]):
        for name, e in zip(out_names, exp):
            g = np.array(got[name]["data"], dtype=np.float32).reshape(got[name]["dims"])
            assert list(g.shape) == list(e.shape), (name, g.shape, e.shape)
            if g.size:
                worst = max(worst, float(np.abs(g - e.numpy()).max()))
    return worst, res["inputs"], res["outputs"]


def onnx_cases_generator(cfg, texts):
    """Left-padded prefill with an empty past, then one decode step with past>0 and a zero
    in the middle of the attention mask."""
    seqs = [tok.encode(t) for t in texts]
    ids, mask, pos = _left_pad(seqs)
    b = len(seqs)
    g = torch.Generator().manual_seed(0)
    past = [(torch.randn(b, cfg.n_heads, 6, cfg.head_dim, generator=g),
             torch.randn(b, cfg.n_heads, 6, cfg.head_dim, generator=g)) for _ in range(cfg.n_layers)]
    m2 = torch.ones((b, 7), dtype=torch.long)
    m2[0, 2] = 0
    m2[1, 0] = 0
    step_ids = torch.tensor([[7], [8]] + [[9]] * (b - 2))[:b]
    step_pos = torch.full((b, 1), 6, dtype=torch.long)
    return [(ids, mask, pos, _empty_past(cfg, b)), (step_ids, m2, step_pos, past)]


def onnx_cases_prm(model, items):
    """Full pass (empty past, right padded), and the last step as a chunk on top of the KV
    past of its prefix (past length > 0, the verifier's prefix reuse)."""
    cfg = model.cfg
    exs = [data.prm_example(q, lines, [False] * len(lines)) for q, lines in items]
    ids, mask, pos, *_ = data.collate_prm(exs)
    cases = [(ids, mask, pos, _empty_past(cfg, ids.shape[0]))]
    q, lines = items[0]
    prefix = tok.encode(data.prm_text(q, lines[:-1]))
    last = tok.encode(lines[-1] + "\n")
    n, m = len(prefix), len(last)
    with torch.no_grad():
        _, past = model(torch.tensor([prefix]), torch.ones((1, n), dtype=torch.long),
                        torch.arange(n).unsqueeze(0))
    cases.append((torch.tensor([last]), torch.ones((1, n + m), dtype=torch.long),
                  torch.arange(n, n + m).unsqueeze(0), past))
    return cases
