"""PyTorch inference for the test bed: batched sampling with a KV cache (left padding and
explicit positions, exactly like the Java engine feeds the ONNX graph) and PRM scoring."""
from typing import List

import torch

import chartok as tok
import data
from model import KVCache


@torch.no_grad()
def generate(model, prompts: List[List[int]], temperature: float, max_new: int, seed: int,
             batch_size: int = 1024, max_len: int = 256):
    """Returns, per prompt, (completion ids without EOS, finished_with_eos).

    Prompts are left padded (position ids from the attention mask); finished rows are dropped
    from the batch as they finish.  Sampling is reproducible from ``seed`` and the batch index.
    """
    model.eval()
    order = sorted(range(len(prompts)), key=lambda i: len(prompts[i]))
    results = [None] * len(prompts)
    for bno, s in enumerate(range(0, len(order), batch_size)):
        idx = order[s:s + batch_size]
        b = len(idx)
        L = max(len(prompts[i]) for i in idx)
        ids = torch.full((b, L), tok.PAD_ID, dtype=torch.long)
        mask = torch.zeros((b, L), dtype=torch.long)
        for r, i in enumerate(idx):
            p = prompts[i]
            ids[r, L - len(p):] = torch.tensor(p)
            mask[r, L - len(p):] = 1
        pos = (torch.cumsum(mask, dim=1) - 1).clamp(min=0)
        gen = torch.Generator().manual_seed(seed * 100003 + bno)
        steps = min(max_new, max_len - L)
        cache = KVCache(model.cfg, b, L + steps)
        logits, _ = model(ids, mask, pos, cache=cache)
        last_pos = pos[:, -1:]
        live = list(range(b))  # row -> index into idx
        outs = [[] for _ in range(b)]
        finished = [False] * b
        for t in range(steps):
            lg = logits[:, -1, :]
            if temperature <= 0:
                nxt = torch.argmax(lg, dim=-1)
            else:
                probs = torch.softmax(lg / temperature, dim=-1)
                nxt = torch.multinomial(probs, 1, generator=gen).squeeze(1)
            nl = nxt.tolist()
            keep = []
            for r, tkn in enumerate(nl):
                j = live[r]
                if not finished[j]:
                    if tkn == tok.EOS_ID:
                        finished[j] = True
                    else:
                        outs[j].append(tkn)
                if not finished[j]:
                    keep.append(r)
            if not keep or t == steps - 1:
                break
            if len(live) - len(keep) >= max(8, len(live) // 4):  # drop finished rows
                rows = torch.tensor(keep)
                live = [live[r] for r in keep]
                nxt, mask, last_pos = nxt[rows], mask[rows], last_pos[rows]
                cache.keep_rows(rows)
            mask = torch.cat([mask, torch.ones((len(live), 1), dtype=torch.long)], dim=1)
            last_pos = last_pos + 1
            logits, _ = model(nxt.unsqueeze(1), mask, last_pos, cache=cache)
        for r, i in enumerate(idx):
            results[i] = (outs[r], finished[r])
    return results


@torch.no_grad()
def prm_scores(model, items, batch_size: int = 256):
    """items: list of (question, lines). Returns per item the list of step scores
    (softmax(logits)[..., 1] at each step's delimiter)."""
    model.eval()
    exs = [data.prm_example(q, lines, [False] * len(lines)) for q, lines in items]
    order = sorted(range(len(exs)), key=lambda i: len(exs[i][0]))
    out = [None] * len(exs)
    for s in range(0, len(order), batch_size):
        idx = order[s:s + batch_size]
        ids, mask, pos, bi, pi, _, _ = data.collate_prm([exs[i] for i in idx])
        logits, _ = model(ids, mask, pos)
        p = torch.softmax(logits[bi, pi], dim=-1)[:, 1].tolist()
        k = 0
        for i in idx:
            n = len(exs[i][1])
            out[i] = p[k:k + n]
            k += n
    return out
