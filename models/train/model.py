"""Tiny pre-LN transformer used for both test-bed models.

* ``mode="causal"``: the generator (a decoder; tied LM head over the char vocabulary).
* ``mode="step"``: the PRM, a block-causal ("step-causal") encoder with a 2-class head.
  Token q may attend token k iff ``attention_mask[k] == 1`` and ``seg(k) <= seg(q)``, where
  ``seg(t)`` = number of delimiter tokens strictly before t.  Past keys (KV cache) always end
  at a step boundary and are visible to every new token; inside the new chunk ``seg`` is the
  cumulative count of delimiters of the chunk (CumSum over ``input_ids == delimiter``).

Both take explicit ``position_ids`` and an ``attention_mask`` over past+new tokens with zeros
allowed anywhere (left padding), and a KV past of shape [batch, heads, past, head_dim].
The masks are built from tensor ops only (no Python ints from shapes), so the exported ONNX
graph keeps the past length dynamic.
"""
import math
from dataclasses import dataclass, asdict
from typing import List, Optional, Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F

NEG = -1.0e9


@dataclass
class ModelConfig:
    vocab_size: int
    d_model: int = 128
    n_layers: int = 3
    n_heads: int = 4
    d_ff: int = 512
    max_positions: int = 256
    mode: str = "causal"  # or "step"
    n_out: int = 0  # 0: LM head tied to the embedding; else classifier with n_out classes
    delimiter_id: int = 4
    position: str = "rope"  # "rope" (rotary, on q and k) or "learned" (absolute embedding)
    rope_theta: float = 10000.0

    @property
    def head_dim(self):
        return self.d_model // self.n_heads

    def to_dict(self):
        return asdict(self)


def rope_tables(position_ids, head_dim, theta):
    """cos/sin [batch, 1, seq, head_dim/2] from explicit positions (so padding does not shift them)."""
    inv = 1.0 / (theta ** (torch.arange(0, head_dim, 2, dtype=torch.float32) / head_dim))
    ang = position_ids.to(torch.float32).unsqueeze(-1) * inv
    return torch.cos(ang).unsqueeze(1), torch.sin(ang).unsqueeze(1)


def apply_rope(x, rope):
    """Rotary embedding, rotate-half convention (first half / second half of each head)."""
    cos, sin = rope
    half = x.shape[-1] // 2
    x1, x2 = x[..., :half], x[..., half:]
    return torch.cat([x1 * cos - x2 * sin, x2 * cos + x1 * sin], dim=-1)


class Block(nn.Module):
    def __init__(self, cfg: ModelConfig):
        super().__init__()
        self.cfg = cfg
        self.ln1 = nn.LayerNorm(cfg.d_model)
        self.qkv = nn.Linear(cfg.d_model, 3 * cfg.d_model)
        self.proj = nn.Linear(cfg.d_model, cfg.d_model)
        self.ln2 = nn.LayerNorm(cfg.d_model)
        self.fc1 = nn.Linear(cfg.d_model, cfg.d_ff)
        self.fc2 = nn.Linear(cfg.d_ff, cfg.d_model)

    def forward(self, x, mask_add, past_k=None, past_v=None, cache=None, layer=0, rope=None):
        b, s, d = x.shape
        h, hd = self.cfg.n_heads, self.cfg.head_dim
        q, k, v = self.qkv(self.ln1(x)).split(d, dim=2)
        q = q.view(b, s, h, hd).transpose(1, 2)
        k = k.view(b, s, h, hd).transpose(1, 2)
        v = v.view(b, s, h, hd).transpose(1, 2)
        if rope is not None:  # keys are cached after rotation
            q, k = apply_rope(q, rope), apply_rope(k, rope)
        if cache is not None:  # preallocated cache (PyTorch inference only)
            k, v = cache.append(layer, k, v)
        elif past_k is not None:
            k = torch.cat([past_k, k], dim=2)
            v = torch.cat([past_v, v], dim=2)
        att = torch.matmul(q, k.transpose(2, 3)) * (1.0 / math.sqrt(hd)) + mask_add
        att = torch.softmax(att, dim=-1)
        y = torch.matmul(att, v).transpose(1, 2).reshape(b, s, d)
        x = x + self.proj(y)
        x = x + self.fc2(F.gelu(self.fc1(self.ln2(x))))
        return x, k, v


class TinyTransformer(nn.Module):
    def __init__(self, cfg: ModelConfig):
        super().__init__()
        self.cfg = cfg
        self.tok = nn.Embedding(cfg.vocab_size, cfg.d_model)
        self.pos = nn.Embedding(cfg.max_positions, cfg.d_model) if cfg.position == "learned" else None
        self.blocks = nn.ModuleList([Block(cfg) for _ in range(cfg.n_layers)])
        self.ln_f = nn.LayerNorm(cfg.d_model)
        if cfg.n_out:
            self.head = nn.Linear(cfg.d_model, cfg.n_out)
        else:
            self.head = None
        self.apply(self._init)
        for blk in self.blocks:  # GPT-2 style scaled init of residual projections
            nn.init.normal_(blk.proj.weight, std=0.02 / math.sqrt(2 * cfg.n_layers))
            nn.init.normal_(blk.fc2.weight, std=0.02 / math.sqrt(2 * cfg.n_layers))

    @staticmethod
    def _init(m):
        if isinstance(m, nn.Linear):
            nn.init.normal_(m.weight, std=0.02)
            if m.bias is not None:
                nn.init.zeros_(m.bias)
        elif isinstance(m, nn.Embedding):
            nn.init.normal_(m.weight, std=0.02)

    def n_params(self):
        return sum(p.numel() for p in self.parameters())

    def build_mask(self, input_ids, attention_mask, past_len_like):
        """Additive mask [batch, 1, seq, past+seq] from tensor ops only.

        ``past_len_like``: a tensor [batch, past] (any dtype), e.g. ``past_k[:, 0, :, 0]``,
        or None when there is no past.
        """
        am = attention_mask.to(torch.float32)  # [b, T]
        if self.cfg.mode == "causal":
            ones_k = torch.ones_like(am)
            k_idx = torch.cumsum(ones_k, dim=1)  # 1..T
            ones_q = torch.ones_like(input_ids, dtype=torch.float32)
            s_cnt = torch.sum(ones_q, dim=1, keepdim=True)
            t_cnt = torch.sum(ones_k, dim=1, keepdim=True)
            q_idx = torch.cumsum(ones_q, dim=1) + (t_cnt - s_cnt)  # absolute 1-based
            allowed = (k_idx.unsqueeze(1) <= q_idx.unsqueeze(2)).to(torch.float32)  # [b,s,T]
        else:
            is_d = (input_ids == self.cfg.delimiter_id).to(torch.float32)  # [b, s]
            seg_q = torch.cumsum(is_d, dim=1) - is_d  # delimiters strictly before
            if past_len_like is not None:
                zeros_p = torch.zeros_like(past_len_like, dtype=torch.float32)
                seg_k = torch.cat([zeros_p, seg_q], dim=1)  # past keys: seg 0 <= any seg_q
            else:
                seg_k = seg_q
            allowed = (seg_k.unsqueeze(1) <= seg_q.unsqueeze(2)).to(torch.float32)
        allowed = allowed * am.unsqueeze(1)
        return ((1.0 - allowed) * NEG).unsqueeze(1)

    def forward(self, input_ids, attention_mask, position_ids,
                past: Optional[List[Tuple[torch.Tensor, torch.Tensor]]] = None, cache=None):
        x = self.tok(input_ids)
        rope = None
        if self.pos is not None:
            x = x + self.pos(position_ids)
        else:
            rope = rope_tables(position_ids, self.cfg.head_dim, self.cfg.rope_theta)
        if cache is not None:
            past_like = cache.past_like() if cache.length else None
        else:
            past_like = past[0][0][:, 0, :, 0] if past is not None else None
        mask_add = self.build_mask(input_ids, attention_mask, past_like)
        presents = []
        for i, blk in enumerate(self.blocks):
            pk, pv = (past[i] if past is not None else (None, None))
            x, k, v = blk(x, mask_add, pk, pv, cache, i, rope)
            presents.append((k, v))
        if cache is not None:
            cache.length += input_ids.shape[1]
        x = self.ln_f(x)
        if self.head is None:
            logits = torch.matmul(x, self.tok.weight.t())
        else:
            logits = self.head(x)
        return logits, presents


class OnnxWrapper(nn.Module):
    """Flat signature for export: (input_ids, attention_mask, position_ids, k0, v0, k1, ...)
    -> (logits, present k0, v0, ...)."""

    def __init__(self, model: TinyTransformer):
        super().__init__()
        self.model = model

    def forward(self, input_ids, attention_mask, position_ids, *past_flat):
        n = self.model.cfg.n_layers
        past = [(past_flat[2 * i], past_flat[2 * i + 1]) for i in range(n)]
        logits, presents = self.model(input_ids, attention_mask, position_ids, past)
        out = [logits]
        for k, v in presents:
            out += [k, v]
        return tuple(out)


class KVCache:
    """Preallocated KV cache for PyTorch inference (avoids re-copying the past every step)."""

    def __init__(self, cfg: ModelConfig, batch: int, max_len: int):
        self.k = torch.zeros(cfg.n_layers, batch, cfg.n_heads, max_len, cfg.head_dim)
        self.v = torch.zeros_like(self.k)
        self.length = 0

    def append(self, layer, k, v):
        t0, s = self.length, k.shape[2]
        self.k[layer, :, :, t0:t0 + s] = k
        self.v[layer, :, :, t0:t0 + s] = v
        return self.k[layer, :, :, :t0 + s], self.v[layer, :, :, :t0 + s]

    def past_like(self):
        return self.k[0, :, 0, :self.length, 0]

    def keep_rows(self, rows):
        self.k = self.k[:, rows].contiguous()
        self.v = self.v[:, rows].contiguous()
