"""Architecture-exact fixtures of the model families users bring (issue 18), written under models/fixtures/.

PyTorch alone (no transformers, no tokenizers, no downloads); random weights from fixed seeds; tiny sizes.

  qwen2/               Qwen2-family decoder: grouped-query attention (4 query heads, 2 KV heads), RMSNorm,
                       SwiGLU MLP, rotary embeddings (rope_theta 1e6), bias on q/k/v, untied lm_head; the
                       Optimum layouts model.onnx (one graph, past inputs) and decoder_model_merged.onnx
                       (use_cache_branch), plus model_fp16.onnx (float16 weights, KV and logits; norms,
                       rotary tables and softmax in float32 as the Hugging Face code computes them)
  llama/               Llama-family decoder (no q/k/v bias, model_type llama), both Optimum layouts
  qwen2-prm/           Qwen2.5-Math-PRM style: Qwen2 body, token-classification head (Linear, ReLU, Linear
                       to 2 labels), scores = softmax(logits)[..., 1] at every <extra_0>
  math-shepherd-prm/   Math-Shepherd style: a Llama-family causal LM whose step score is the softmax over
                       the "+"/"-" logits at every step tag " ки"

Every directory holds config.json (the real Hugging Face keys), tokenizer.json (a byte-level BPE written
here from a merge list trained here: Qwen2's Split regex + ByteLevel pre-tokenizer, ByteLevel decoder, added
special tokens), tokenizer_config.json (Qwen's ChatML chat_template), generation_config.json (a list of
eos_token_id) and reference.json: what PyTorch (and jinja2, and the Python BPE below) computed for fixed
inputs, which the Java parity tests must reproduce.

Run with the Debian packages (python3-torch, python3-onnx, python3-jinja2):
  /usr/bin/python3 models/train/real_fixtures.py [--out models/fixtures]
The output is deterministic (fixed seeds); the committed files are what this wrote.
"""
import argparse
import collections
import copy
import hashlib
import json
import math
import os
import re
import shutil
import unicodedata

import jinja2
import numpy as np
import onnx
import torch
import torch.nn as nn
import torch.nn.functional as F
from onnx import TensorProto, helper, numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, "..", ".."))
CONVENTIONS = os.path.join(REPO, "verifier-service", "engine", "src", "main", "resources", "io", "ttsmesh",
                           "verifier", "conventions")
OPSET = 14

# ============================================================================ byte-level BPE


def bytes_to_unicode():
    """GPT-2's reversible byte -> printable character map (the ByteLevel pre-tokenizer's alphabet)."""
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return dict(zip(bs, [chr(c) for c in cs]))


BYTE_CHAR = bytes_to_unicode()
CHAR_BYTE = {c: b for b, c in BYTE_CHAR.items()}

# Qwen2's pre-tokenizer pattern, as in its tokenizer.json (Rust regex syntax).
QWEN2_PATTERN = (r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|"
                 r"\s*[\r\n]+|\s+(?!\S)|\s+")


def _is_letter(c):
    return unicodedata.category(c).startswith("L")


def _is_number(c):
    return unicodedata.category(c).startswith("N")


def _is_space(c):
    return c.isspace()


def qwen2_split(text):
    """QWEN2_PATTERN evaluated by hand (Python's re has no \\p{L}): leftmost alternative that matches,
    each alternative with the regex engine's greedy-then-backtrack semantics."""
    out, i, n = [], 0, len(text)
    while i < n:
        end = None
        c = text[i]
        # 1. contractions, case-insensitive
        if c == "'":
            for suf in ("s", "t", "re", "ve", "m", "ll", "d"):
                if text[i + 1:i + 1 + len(suf)].lower() == suf:
                    end = i + 1 + len(suf)
                    break
        # 2. [^\r\n\p{L}\p{N}]?\p{L}+
        if end is None:
            j = i
            if c not in "\r\n" and not _is_letter(c) and not _is_number(c) and i + 1 < n and _is_letter(text[i + 1]):
                j = i + 1
            if _is_letter(text[j]):
                while j < n and _is_letter(text[j]):
                    j += 1
                end = j
        # 3. \p{N}
        if end is None and _is_number(c):
            end = i + 1
        # 4.  ?[^\s\p{L}\p{N}]+[\r\n]*
        if end is None:
            def other(ch):
                return not _is_space(ch) and not _is_letter(ch) and not _is_number(ch)
            j = i + 1 if c == " " and i + 1 < n and other(text[i + 1]) else i
            if j < n and other(text[j]):
                while j < n and other(text[j]):
                    j += 1
                while j < n and text[j] in "\r\n":
                    j += 1
                end = j
        if end is None and _is_space(c):
            run = i
            while run < n and _is_space(text[run]):
                run += 1
            # 5. \s*[\r\n]+ : up to the last line break of the whitespace run
            last_break = max((k for k in range(i, run) if text[k] in "\r\n"), default=None)
            if last_break is not None:
                end = last_break + 1
            # 6. \s+(?!\S)
            elif run == n:
                end = run
            elif run - i >= 2:
                end = run - 1
            # 7. \s+
            else:
                end = run
        assert end is not None and end > i, (text, i)
        out.append(text[i:end])
        i = end
    return out


def byte_chars(piece):
    return "".join(BYTE_CHAR[b] for b in piece.encode("utf-8"))


# Special tokens appended after the learned vocabulary, as Qwen does (content, special?).
SPECIALS = ["<|endoftext|>", "<|im_start|>", "<|im_end|>", "<extra_0>", "<s>", "</s>"]
VOCAB_SIZE = 512

# A tiny corpus to learn merges from: math reasoning in a few languages, the Math-Shepherd step tag, ChatML.
CORPUS = [
    "Please reason step by step, and put your final answer within \\boxed{}.",
    "Step 1: The total is 12 + 30 = 42 apples. ки\nStep 2: Then 42 * 3 = 126. ки\nThe answer is 126. ки",
    "Natalia sold clips to 48 of her friends in April, and then she sold half as many clips in May.",
    "How many clips did Natalia sell altogether in April and May? The answer is \\boxed{72}.",
    "We have x = 3 and y = 4, so x^2 + y^2 = 9 + 16 = 25.\n\nTherefore the answer is 25.",
    "Schritt 1: Wir addieren die Zahlen. Die Antwort ist 17.",
    "Étape 1 : on calcule la somme, puis le produit. La réponse est 24.",
    "Шаг 1: сложим числа. Ответ: 42. ки\nШаг 2: умножим на три. ки",
    "第一步：计算总数。答案是 42。",
    "system\nYou are a helpful assistant.\nuser\nWhat is 2+2?\nassistant\nThe answer is 4.",
    "It's 3.14159, isn't it? They're sure we'll see 1,000,000 steps.",
] * 3


def train_bpe(corpus, n_merges):
    words = collections.Counter()
    for text in corpus:
        for piece in qwen2_split(unicodedata.normalize("NFC", text)):
            words[tuple(byte_chars(piece))] += 1
    merges = []
    for _ in range(n_merges):
        pairs = collections.Counter()
        for w, f in words.items():
            for a, b in zip(w, w[1:]):
                pairs[(a, b)] += f
        if not pairs:
            break
        best = max(pairs.items(), key=lambda kv: (kv[1], [-ord(ch) for ch in kv[0][0] + " " + kv[0][1]]))[0]
        merges.append(best)
        merged = collections.Counter()
        for w, f in words.items():
            out, i = [], 0
            while i < len(w):
                if i + 1 < len(w) and (w[i], w[i + 1]) == best:
                    out.append(w[i] + w[i + 1])
                    i += 2
                else:
                    out.append(w[i])
                    i += 1
            merged[tuple(out)] += f
        words = merged
    return merges


class ByteBpe:
    """The tokenizer the fixtures ship: vocabulary = 256 byte symbols, then one token per merge, then the
    special tokens. encode() is the reference for the Java side (DJL's Rust tokenizers)."""

    def __init__(self, merges):
        self.merges = merges
        self.rank = {m: r for r, m in enumerate(merges)}
        self.vocab = {}
        for b in BYTE_CHAR:  # GPT-2 order: printable bytes first
            self.vocab[BYTE_CHAR[b]] = len(self.vocab)
        for a, b in merges:
            self.vocab.setdefault(a + b, len(self.vocab))
        self.specials = {}
        for s in SPECIALS:
            self.specials[s] = len(self.vocab) + len(self.specials)
        assert len(self.vocab) + len(self.specials) == VOCAB_SIZE, (len(self.vocab), len(self.specials))
        self.inverse = {i: t for t, i in self.vocab.items()}
        self.inverse.update({i: t for t, i in self.specials.items()})

    def _bpe(self, symbols):
        symbols = list(symbols)
        while len(symbols) > 1:
            ranked = [(self.rank.get((a, b), 1 << 30), i) for i, (a, b) in enumerate(zip(symbols, symbols[1:]))]
            r, i = min(ranked)
            if r == 1 << 30:
                break
            symbols[i:i + 2] = [symbols[i] + symbols[i + 1]]
        return symbols

    def encode(self, text):
        ids = []
        pattern = "(" + "|".join(re.escape(s) for s in sorted(self.specials, key=len, reverse=True)) + ")"
        for part in re.split(pattern, text):
            if not part:
                continue
            if part in self.specials:
                ids.append(self.specials[part])
                continue
            for piece in qwen2_split(unicodedata.normalize("NFC", part)):
                ids += [self.vocab[s] for s in self._bpe(byte_chars(piece))]
        return ids

    def decode(self, ids):
        text = "".join(self.inverse[i] for i in ids if i not in self.specials.values())
        return bytes(CHAR_BYTE[c] for c in text).decode("utf-8", errors="replace")

    def tokenizer_json(self):
        byte_level = {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": False, "use_regex": False}
        return {
            "version": "1.0",
            "truncation": None,
            "padding": None,
            "added_tokens": [{"id": i, "content": s, "single_word": False, "lstrip": False, "rstrip": False,
                              "normalized": False, "special": True} for s, i in self.specials.items()],
            "normalizer": {"type": "NFC"},
            "pre_tokenizer": {"type": "Sequence", "pretokenizers": [
                {"type": "Split", "pattern": {"Regex": QWEN2_PATTERN}, "behavior": "Isolated", "invert": False},
                byte_level]},
            "post_processor": dict(byte_level),
            "decoder": dict(byte_level),
            "model": {"type": "BPE", "dropout": None, "unk_token": None, "continuing_subword_prefix": "",
                      "end_of_word_suffix": "", "fuse_unk": False, "byte_fallback": False,
                      "vocab": self.vocab, "merges": [a + " " + b for a, b in self.merges]},
        }


# The chat template Qwen2.5 (and Qwen2.5-Math-Instruct) ships in tokenizer_config.json, with its default
# system prompt as in Qwen2.5-Math-Instruct.
CHAT_TEMPLATE = (
    "{%- if tools %}\n"
    "    {{- '<|im_start|>system\\n' }}\n"
    "    {%- if messages[0]['role'] == 'system' %}\n"
    "        {{- messages[0]['content'] }}\n"
    "    {%- else %}\n"
    "        {{- 'Please reason step by step, and put your final answer within \\\\boxed{}.' }}\n"
    "    {%- endif %}\n"
    "    {{- \"\\n\\n# Tools\\n\\nYou may call one or more functions to assist with the user query.\\n\\n"
    "You are provided with function signatures within <tools></tools> XML tags:\\n<tools>\" }}\n"
    "    {%- for tool in tools %}\n"
    "        {{- \"\\n\" }}\n"
    "        {{- tool | tojson }}\n"
    "    {%- endfor %}\n"
    "    {{- \"\\n</tools>\\n\\nFor each function call, return a json object with function name and arguments "
    "within <tool_call></tool_call> XML tags:\\n<tool_call>\\n{\\\"name\\\": <function-name>, \\\"arguments\\\": "
    "<args-json-object>}\\n</tool_call><|im_end|>\\n\" }}\n"
    "{%- else %}\n"
    "    {%- if messages[0]['role'] == 'system' %}\n"
    "        {{- '<|im_start|>system\\n' + messages[0]['content'] + '<|im_end|>\\n' }}\n"
    "    {%- else %}\n"
    "        {{- '<|im_start|>system\\nPlease reason step by step, and put your final answer within "
    "\\\\boxed{}.<|im_end|>\\n' }}\n"
    "    {%- endif %}\n"
    "{%- endif %}\n"
    "{%- for message in messages %}\n"
    "    {%- if (message.role == \"user\") or (message.role == \"system\" and not loop.first) or "
    "(message.role == \"assistant\" and not message.tool_calls) %}\n"
    "        {{- '<|im_start|>' + message.role + '\\n' + message.content + '<|im_end|>' + '\\n' }}\n"
    "    {%- elif message.role == \"assistant\" %}\n"
    "        {{- '<|im_start|>' + message.role }}\n"
    "        {%- if message.content %}\n"
    "            {{- '\\n' + message.content }}\n"
    "        {%- endif %}\n"
    "        {%- for tool_call in message.tool_calls %}\n"
    "            {%- if tool_call.function is defined %}\n"
    "                {%- set tool_call = tool_call.function %}\n"
    "            {%- endif %}\n"
    "            {{- '\\n<tool_call>\\n{\"name\": \"' }}\n"
    "            {{- tool_call.name }}\n"
    "            {{- '\", \"arguments\": ' }}\n"
    "            {{- tool_call.arguments | tojson }}\n"
    "            {{- '}\\n</tool_call>' }}\n"
    "        {%- endfor %}\n"
    "        {{- '<|im_end|>\\n' }}\n"
    "    {%- elif message.role == \"tool\" %}\n"
    "        {%- if (loop.index0 == 0) or (messages[loop.index0 - 1].role != \"tool\") %}\n"
    "            {{- '<|im_start|>user' }}\n"
    "        {%- endif %}\n"
    "        {{- '\\n<tool_response>\\n' }}\n"
    "        {{- message.content }}\n"
    "        {{- '\\n</tool_response>' }}\n"
    "        {%- if loop.last or (messages[loop.index0 + 1].role != \"tool\") %}\n"
    "            {{- '<|im_end|>\\n' }}\n"
    "        {%- endif %}\n"
    "    {%- endif %}\n"
    "{%- endfor %}\n"
    "{%- if add_generation_prompt %}\n"
    "    {{- '<|im_start|>assistant\\n' }}\n"
    "{%- endif %}\n"
)

# The chat template Llama 3.1 Instruct ships (system-message extraction, date header, tools, ipython turns): other
# Jinja features than ChatML's (slicing, "in" on a message, trim, reject/join filters, none tests, comments).
LLAMA3_TEMPLATE = """{{- bos_token }}
{%- if custom_tools is defined %}
    {%- set tools = custom_tools %}
{%- endif %}
{%- if not tools_in_user_message is defined %}
    {%- set tools_in_user_message = true %}
{%- endif %}
{%- if not date_string is defined %}
    {%- set date_string = "26 Jul 2024" %}
{%- endif %}
{%- if not tools is defined %}
    {%- set tools = none %}
{%- endif %}

{#- This block extracts the system message, so we can slot it into the right place. #}
{%- if messages[0]['role'] == 'system' %}
    {%- set system_message = messages[0]['content']|trim %}
    {%- set messages = messages[1:] %}
{%- else %}
    {%- set system_message = "" %}
{%- endif %}

{#- System message + builtin tools #}
{{- "<|start_header_id|>system<|end_header_id|>\\n\\n" }}
{%- if builtin_tools is defined or tools is not none %}
    {{- "Environment: ipython\\n" }}
{%- endif %}
{%- if builtin_tools is defined %}
    {{- "Tools: " + builtin_tools | reject('equalto', 'code_interpreter') | join(", ") + "\\n\\n"}}
{%- endif %}
{{- "Cutting Knowledge Date: December 2023\\n" }}
{{- "Today Date: " + date_string + "\\n\\n" }}
{%- if tools is not none and not tools_in_user_message %}
    {{- "You have access to the following functions. To call a function, please respond with JSON for a function call." }}
    {{- 'Respond in the format {"name": function name, "parameters": dictionary of argument name and its value}.' }}
    {{- "Do not use variables.\\n\\n" }}
    {%- for t in tools %}
        {{- t | tojson(indent=4) }}
        {{- "\\n\\n" }}
    {%- endfor %}
{%- endif %}
{{- system_message }}
{{- "<|eot_id|>" }}

{#- Custom tools are passed in a user message with some extra guidance #}
{%- if tools_in_user_message and not tools is none %}
    {#- Extract the first user message so we can plug it in here #}
    {%- if messages | length != 0 %}
        {%- set first_user_message = messages[0]['content']|trim %}
        {%- set messages = messages[1:] %}
    {%- else %}
        {{- raise_exception("Cannot put tools in the first user message when there's no first user message!") }}
{%- endif %}
    {{- '<|start_header_id|>user<|end_header_id|>\\n\\n' -}}
    {{- "Given the following functions, please respond with a JSON for a function call " }}
    {{- "with its proper arguments that best answers the given prompt.\\n\\n" }}
    {%- for t in tools %}
        {{- t | tojson(indent=4) }}
        {{- "\\n\\n" }}
    {%- endfor %}
    {{- first_user_message + "<|eot_id|>"}}
{%- endif %}

{%- for message in messages %}
    {%- if not (message.role == 'ipython' or message.role == 'tool' or 'tool_calls' in message) %}
        {{- '<|start_header_id|>' + message['role'] + '<|end_header_id|>\\n\\n'+ message['content'] | trim + '<|eot_id|>' }}
    {%- elif 'tool_calls' in message %}
        {%- if not message.tool_calls|length == 1 %}
            {{- raise_exception("This model only supports single tool-calls at once!") }}
        {%- endif %}
        {%- set tool_call = message.tool_calls[0].function %}
        {{- '<|start_header_id|>assistant<|end_header_id|>\\n\\n' -}}
        {{- '{"name": "' + tool_call.name + '", ' }}
        {{- '"parameters": ' }}
        {{- tool_call.arguments | tojson }}
        {{- "}" }}
        {{- "<|eot_id|>" }}
    {%- elif message.role == "tool" or message.role == "ipython" %}
        {{- "<|start_header_id|>ipython<|end_header_id|>\\n\\n" }}
        {%- if message.content is mapping or message.content is iterable %}
            {{- message.content | tojson }}
        {%- else %}
            {{- message.content }}
        {%- endif %}
        {{- "<|eot_id|>" }}
    {%- endif %}
{%- endfor %}
{%- if add_generation_prompt %}
    {{- '<|start_header_id|>assistant<|end_header_id|>\\n\\n' }}
{%- endif %}
"""

# Fixed inputs of the references.
BPE_TEXT = ("Step 1: 12 + 30 = 42 apples.\n\nStep 2: Natalia's 3.5 km, don't she?  Schritt 3: Größe 7!\n"
            "Шаг 4: ответ 42 ки\n第五步：答案是 42。\t  done \n\n")
CHAT_CASES = [
    {"messages": [{"role": "user", "content": "What is 12 + 30?"}], "add_generation_prompt": True},
    {"messages": [{"role": "system", "content": "You are a careful solver."},
                  {"role": "user", "content": "Natalia sold 48 clips in April and half as many in May.\nHow many?"},
                  {"role": "assistant", "content": "Step 1: 48 / 2 = 24.\n\nStep 2: 48 + 24 = 72."},
                  {"role": "user", "content": "And in June, ünd Шаг 3?"}], "add_generation_prompt": True},
    {"messages": [{"role": "user", "content": "2+2?"}, {"role": "assistant", "content": "4"}],
     "add_generation_prompt": False},
]


# The free-text question FixtureMeshIT asks the math task on the Qwen2 fixture pair.
MESH_MATH_QUESTION = "What is the sum of the first 10 odd numbers?"


def render_chat(case, template=None, bos_token="", eos_token="<|im_end|>"):
    env = jinja2.Environment(trim_blocks=True, lstrip_blocks=True)  # what transformers' apply_chat_template uses

    def raise_exception(message):
        raise jinja2.exceptions.TemplateError(message)

    env.globals["raise_exception"] = raise_exception
    return env.from_string(template or CHAT_TEMPLATE).render(
        messages=case["messages"], add_generation_prompt=case["add_generation_prompt"], bos_token=bos_token,
        eos_token=eos_token)


# ============================================================================ models


# When set, every op outside the float32 scopes rounds its result to float16: the PyTorch reference of the
# float16 graph (PyTorch 1.13 has no float16 matmul on the CPU; ONNX Runtime's CPU kernels compute a float16
# op in float32 and round its result, which is what this emulates). Off while exporting.
HALF = [False]


def h(x):
    return x.half().float() if HALF[0] else x


def lin(layer, x):
    """nn.Linear as the exported graph computes it: MatMul, then Add of the bias (each rounded in float16)."""
    if not HALF[0]:
        return layer(x)
    y = h(F.linear(x, layer.weight))
    return y if layer.bias is None else h(y + layer.bias)


class RMSNorm(nn.Module):
    def __init__(self, d, eps):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(d))
        self.eps = eps

    def forward(self, x):
        var = x.pow(2).mean(-1, keepdim=True)
        return self.weight * (x * torch.rsqrt(var + self.eps))


class RotaryEmbedding(nn.Module):
    """cos/sin [batch, 1, seq, head_dim] (Hugging Face's rotate-half layout) from explicit positions."""

    def __init__(self, head_dim, theta):
        super().__init__()
        self.register_buffer("inv_freq", 1.0 / (theta ** (torch.arange(0, head_dim, 2, dtype=torch.float32) / head_dim)),
                             persistent=False)

    def forward(self, position_ids):
        freqs = position_ids.to(torch.float32).unsqueeze(-1) * self.inv_freq
        emb = torch.cat([freqs, freqs], dim=-1)
        return torch.cos(emb).unsqueeze(1), torch.sin(emb).unsqueeze(1)


def rotate_half(x):
    half = x.shape[-1] // 2
    return torch.cat([-x[..., half:], x[..., :half]], dim=-1)


class CausalMask(nn.Module):
    """Additive mask [batch, 1, seq, past + seq] from tensor ops only (the past length stays dynamic)."""

    def forward(self, input_ids, attention_mask):
        am = attention_mask.to(torch.float32)
        ones_k = torch.ones_like(am)
        k_idx = torch.cumsum(ones_k, dim=1)
        ones_q = torch.ones_like(input_ids, dtype=torch.float32)
        q_idx = torch.cumsum(ones_q, dim=1) + (torch.sum(ones_k, 1, keepdim=True) - torch.sum(ones_q, 1, keepdim=True))
        allowed = (k_idx.unsqueeze(1) <= q_idx.unsqueeze(2)).to(torch.float32) * am.unsqueeze(1)
        return ((1.0 - allowed) * -1.0e9).unsqueeze(1)


class MaskedSoftmax(nn.Module):
    """scores + mask, softmax: in float32 (Hugging Face's attention softmax runs in float32)."""

    def forward(self, scores, mask):
        return torch.softmax(scores + mask, dim=-1)


class Attention(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.h, self.kv, self.hd = c["num_attention_heads"], c["num_key_value_heads"], c["hidden_size"] // c["num_attention_heads"]
        bias = c["model_type"] == "qwen2" or c.get("attention_bias", False)
        d = c["hidden_size"]
        self.q_proj = nn.Linear(d, self.h * self.hd, bias=bias)
        self.k_proj = nn.Linear(d, self.kv * self.hd, bias=bias)
        self.v_proj = nn.Linear(d, self.kv * self.hd, bias=bias)
        self.o_proj = nn.Linear(self.h * self.hd, d, bias=False)
        self.softmax = MaskedSoftmax()

    def forward(self, x, cos, sin, mask, past_k, past_v):
        b, s, _ = x.shape
        q = lin(self.q_proj, x).view(b, s, self.h, self.hd).transpose(1, 2)
        k = lin(self.k_proj, x).view(b, s, self.kv, self.hd).transpose(1, 2)
        v = lin(self.v_proj, x).view(b, s, self.kv, self.hd).transpose(1, 2)
        cos, sin = h(cos), h(sin)
        q = h(h(q * cos) + h(rotate_half(q) * sin))
        k = h(h(k * cos) + h(rotate_half(k) * sin))
        if past_k is not None:
            k = torch.cat([past_k, k], dim=2)
            v = torch.cat([past_v, v], dim=2)
        rep = self.h // self.kv  # grouped-query attention: each KV head serves rep query heads
        kk = k.unsqueeze(2).expand(b, self.kv, rep, k.shape[2], self.hd).reshape(b, self.h, k.shape[2], self.hd)
        vv = v.unsqueeze(2).expand(b, self.kv, rep, v.shape[2], self.hd).reshape(b, self.h, v.shape[2], self.hd)
        att = h(self.softmax(h(h(torch.matmul(q, kk.transpose(2, 3))) / math.sqrt(self.hd)), mask))
        y = h(torch.matmul(att, vv)).transpose(1, 2).reshape(b, s, self.h * self.hd)
        return lin(self.o_proj, y), k, v


class Mlp(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.gate_proj = nn.Linear(c["hidden_size"], c["intermediate_size"], bias=False)
        self.up_proj = nn.Linear(c["hidden_size"], c["intermediate_size"], bias=False)
        self.down_proj = nn.Linear(c["intermediate_size"], c["hidden_size"], bias=False)

    def forward(self, x):
        if not HALF[0]:
            return self.down_proj(F.silu(self.gate_proj(x)) * self.up_proj(x))
        g = lin(self.gate_proj, x)
        return lin(self.down_proj, h(h(g * h(torch.sigmoid(g))) * lin(self.up_proj, x)))


class Layer(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.input_layernorm = RMSNorm(c["hidden_size"], c["rms_norm_eps"])
        self.self_attn = Attention(c)
        self.post_attention_layernorm = RMSNorm(c["hidden_size"], c["rms_norm_eps"])
        self.mlp = Mlp(c)

    def forward(self, x, cos, sin, mask, pk, pv):
        a, k, v = self.self_attn(h(self.input_layernorm(x)), cos, sin, mask, pk, pv)
        x = h(x + a)
        return h(x + self.mlp(h(self.post_attention_layernorm(x)))), k, v


class Body(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.embed_tokens = nn.Embedding(c["vocab_size"], c["hidden_size"])
        self.layers = nn.ModuleList([Layer(c) for _ in range(c["num_hidden_layers"])])
        self.norm = RMSNorm(c["hidden_size"], c["rms_norm_eps"])
        self.rotary_emb = RotaryEmbedding(c["hidden_size"] // c["num_attention_heads"], c["rope_theta"])
        self.causal_mask = CausalMask()

    def forward(self, input_ids, attention_mask, position_ids, past=None):
        x = h(self.embed_tokens(input_ids))
        cos, sin = self.rotary_emb(position_ids)
        mask = self.causal_mask(input_ids, attention_mask)
        presents = []
        for i, layer in enumerate(self.layers):
            pk, pv = past[i] if past is not None else (None, None)
            x, k, v = layer(x, cos, sin, mask, pk, pv)
            presents.append((k, v))
        return h(self.norm(x)), presents


class CausalLM(nn.Module):
    """Qwen2ForCausalLM / LlamaForCausalLM (untied lm_head)."""

    def __init__(self, c):
        super().__init__()
        self.model = Body(c)
        self.lm_head = nn.Linear(c["hidden_size"], c["vocab_size"], bias=False)

    def forward(self, input_ids, attention_mask, position_ids, past=None):
        hidden, presents = self.model(input_ids, attention_mask, position_ids, past)
        return lin(self.lm_head, hidden), presents


class ProcessRewardModel(nn.Module):
    """Qwen2ForProcessRewardModel: the body and a 2-label token-classification head."""

    def __init__(self, c):
        super().__init__()
        self.model = Body(c)
        self.score = nn.Sequential(nn.Linear(c["hidden_size"], c["hidden_size"]), nn.ReLU(),
                                   nn.Linear(c["hidden_size"], c["num_labels"]))

    def forward(self, input_ids, attention_mask):
        # no position_ids input (as the public exports): real tokens sit at 0..n-1, padding on the right
        position_ids = torch.cumsum(torch.ones_like(input_ids), dim=1) - 1
        hidden, _ = self.model(input_ids, attention_mask, position_ids)
        if not HALF[0]:
            return self.score(hidden)
        return lin(self.score[2], h(torch.relu(lin(self.score[0], hidden))))


def init_weights(module, seed):
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, p in module.named_parameters():
            if name.endswith("norm.weight"):
                p.copy_(1.0 + 0.1 * torch.randn(p.shape, generator=g))
            elif name.endswith("bias"):
                p.copy_(0.1 * torch.randn(p.shape, generator=g))
            elif "embed_tokens" in name:
                p.copy_(torch.randn(p.shape, generator=g))
            elif name == "lm_head.weight":  # logits of O(1): float16's rounding of them stays well under 1e-2
                p.copy_(torch.randn(p.shape, generator=g) * (0.75 / math.sqrt(p.shape[1])))
            else:  # fan-in scaled, so activations stay O(1) and logits spread (greedy argmax has clear margins)
                p.copy_(torch.randn(p.shape, generator=g) * (1.5 / math.sqrt(p.shape[1])))
    module.eval()


def qwen2_config(**extra):
    c = {
        "architectures": ["Qwen2ForCausalLM"],
        "attention_dropout": 0.0,
        "bos_token_id": SPECIAL_IDS["<|endoftext|>"],
        "eos_token_id": SPECIAL_IDS["<|endoftext|>"],
        "hidden_act": "silu",
        "hidden_size": 64,
        "initializer_range": 0.02,
        "intermediate_size": 176,
        "max_position_embeddings": 4096,
        "max_window_layers": 2,
        "model_type": "qwen2",
        "num_attention_heads": 4,
        "num_hidden_layers": 2,
        "num_key_value_heads": 2,
        "rms_norm_eps": 1e-06,
        "rope_scaling": None,
        "rope_theta": 1000000.0,
        "sliding_window": None,
        "tie_word_embeddings": False,
        "torch_dtype": "float32",
        "transformers_version": "4.45.2",
        "use_cache": True,
        "use_sliding_window": False,
        "vocab_size": VOCAB_SIZE,
    }
    c.update(extra)
    return c


def llama_config(**extra):
    c = {
        "architectures": ["LlamaForCausalLM"],
        "attention_bias": False,
        "attention_dropout": 0.0,
        "bos_token_id": SPECIAL_IDS["<s>"],
        "eos_token_id": SPECIAL_IDS["</s>"],
        "head_dim": 16,
        "hidden_act": "silu",
        "hidden_size": 64,
        "initializer_range": 0.02,
        "intermediate_size": 160,
        "max_position_embeddings": 2048,
        "mlp_bias": False,
        "model_type": "llama",
        "num_attention_heads": 4,
        "num_hidden_layers": 2,
        "num_key_value_heads": 1,
        "pretraining_tp": 1,
        "rms_norm_eps": 1e-05,
        "rope_scaling": None,
        "rope_theta": 500000.0,
        "tie_word_embeddings": False,
        "torch_dtype": "float32",
        "transformers_version": "4.45.2",
        "use_cache": True,
        "vocab_size": VOCAB_SIZE,
    }
    c.update(extra)
    return c


SPECIAL_IDS = {}

# ============================================================================ ONNX export


def io_names(layers, with_past=True):
    past = [f"past_key_values.{i}.{kind}" for i in range(layers) for kind in ("key", "value")]
    present = [f"present.{i}.{kind}" for i in range(layers) for kind in ("key", "value")]
    return ["input_ids", "attention_mask", "position_ids"] + (past if with_past else []), ["logits"] + present


class Flat(nn.Module):
    """(input_ids, attention_mask, position_ids, k0, v0, ...) -> (logits, present k0, v0, ...)."""

    def __init__(self, lm, with_past):
        super().__init__()
        self.lm = lm
        self.with_past = with_past

    def forward(self, input_ids, attention_mask, position_ids, *flat):
        past = [(flat[2 * i], flat[2 * i + 1]) for i in range(len(flat) // 2)] if self.with_past else None
        logits, presents = self.lm(input_ids, attention_mask, position_ids, past)
        return (logits,) + tuple(t for kv in presents for t in kv)


def export_decoder(lm, c, path, with_past=True):
    layers, kv, hd = c["num_hidden_layers"], c["num_key_value_heads"], c["hidden_size"] // c["num_attention_heads"]
    b, s, p = 2, 3, 5 if with_past else 0
    ids = torch.randint(0, VOCAB_SIZE, (b, s))
    mask = torch.ones((b, p + s), dtype=torch.long)
    pos = torch.arange(p, p + s).unsqueeze(0).expand(b, s).contiguous()
    past = [torch.zeros(b, kv, p, hd) for _ in range(2 * layers)] if with_past else []
    ins, outs = io_names(layers, with_past)
    dyn = {"input_ids": {0: "batch_size", 1: "sequence_length"},
           "attention_mask": {0: "batch_size", 1: "past_sequence_length + sequence_length"},
           "position_ids": {0: "batch_size", 1: "sequence_length"},
           "logits": {0: "batch_size", 1: "sequence_length"}}
    for n in ins[3:]:
        dyn[n] = {0: "batch_size", 2: "past_sequence_length"}
    for n in outs[1:]:
        dyn[n] = {0: "batch_size", 2: "past_sequence_length + sequence_length"}
    with torch.no_grad():
        torch.onnx.export(Flat(lm, with_past), (ids, mask, pos, *past), path, input_names=ins, output_names=outs,
                          dynamic_axes=dyn, opset_version=OPSET, do_constant_folding=True)
    onnx.checker.check_model(onnx.load(path))


def export_prm(prm, path):
    ids = torch.randint(0, VOCAB_SIZE, (2, 5))
    with torch.no_grad():
        torch.onnx.export(prm, (ids, torch.ones_like(ids)), path, input_names=["input_ids", "attention_mask"],
                          output_names=["logits"], opset_version=OPSET, do_constant_folding=True,
                          dynamic_axes={"input_ids": {0: "batch_size", 1: "sequence_length"},
                                        "attention_mask": {0: "batch_size", 1: "sequence_length"},
                                        "logits": {0: "batch_size", 1: "sequence_length"}})
    onnx.checker.check_model(onnx.load(path))


def export_lm_no_past(lm, path):
    """Math-Shepherd style: input_ids, attention_mask, position_ids -> logits (no KV in or out)."""

    class LogitsOnly(nn.Module):
        def __init__(self):
            super().__init__()
            self.lm = lm

        def forward(self, input_ids, attention_mask, position_ids):
            return self.lm(input_ids, attention_mask, position_ids)[0]

    ids = torch.randint(0, VOCAB_SIZE, (2, 5))
    pos = torch.arange(5).unsqueeze(0).expand(2, 5).contiguous()
    with torch.no_grad():
        torch.onnx.export(LogitsOnly(), (ids, torch.ones_like(ids), pos), path,
                          input_names=["input_ids", "attention_mask", "position_ids"], output_names=["logits"],
                          opset_version=OPSET, do_constant_folding=True,
                          dynamic_axes={n: {0: "batch_size", 1: "sequence_length"}
                                        for n in ("input_ids", "attention_mask", "position_ids", "logits")})
    onnx.checker.check_model(onnx.load(path))


def merge_decoders(with_past_path, no_past_path, out_path):
    """Optimum's decoder_model_merged.onnx: one graph, an If on the boolean input use_cache_branch whose
    branches are the with-past and the no-past decoder; weights stored once, shared by both branches."""
    wp, np_ = onnx.load(with_past_path), onnx.load(no_past_path)
    shared, rename_wp, rename_np = {}, {}, {}
    for model, rename in ((wp, rename_wp), (np_, rename_np)):
        for init in model.graph.initializer:
            key = (init.data_type, tuple(init.dims), hashlib.sha256(init.raw_data or init.SerializeToString()).hexdigest())
            if key not in shared:
                t = copy.deepcopy(init)
                t.name = init.name if not init.name.startswith("onnx::") else "shared_" + str(len(shared))
                if any(s.name == t.name for s in shared.values()):
                    t.name = t.name + "_" + str(len(shared))
                shared[key] = t
            rename[init.name] = shared[key].name
    outer_inputs = {i.name for i in wp.graph.input}

    def branch(model, rename, prefix):
        def name(n):
            if n == "" or n in outer_inputs:
                return n
            return rename.get(n, prefix + n)
        nodes = []
        for node in model.graph.node:
            n = copy.deepcopy(node)
            n.name = prefix + node.name
            n.input[:] = [name(x) for x in node.input]
            n.output[:] = [name(x) for x in node.output]
            nodes.append(n)
        outputs = []
        for o in model.graph.output:
            v = copy.deepcopy(o)
            v.name = name(o.name)
            outputs.append(v)
        return helper.make_graph(nodes, prefix.strip("/"), [], outputs)

    then_graph = branch(wp, rename_wp, "with_past/")
    else_graph = branch(np_, rename_np, "no_past/")
    out_names = [o.name for o in wp.graph.output]
    if_node = helper.make_node("If", ["use_cache_branch"], out_names, name="optimum::if",
                               then_branch=then_graph, else_branch=else_graph)
    inputs = list(wp.graph.input) + [helper.make_tensor_value_info("use_cache_branch", TensorProto.BOOL, [1])]
    graph = helper.make_graph([if_node], "merged_decoder", inputs, list(wp.graph.output), list(shared.values()))
    merged = helper.make_model(graph, opset_imports=wp.opset_import, producer_name="tts-mesh real_fixtures.py")
    onnx.checker.check_model(merged)
    onnx.save(merged, out_path)


# Scopes computed in float32 in a float16 graph, as Hugging Face's code does (RMSNorm upcasts, the rotary
# tables are float32, attention's softmax runs in float32); the mask is built there too.
FP32_SCOPES = ("norm", "rotary_emb", "causal_mask", "softmax")


def to_float16(src, dst):
    """A float32 graph made float16 (weights, KV, logits, every op) except the FP32_SCOPES, with Casts at
    the boundaries: what an export with --dtype fp16 of the Hugging Face code yields."""
    model = onnx.shape_inference.infer_shapes(onnx.load(src))
    g = model.graph
    types = {}
    for vi in list(g.value_info) + list(g.input) + list(g.output):
        types[vi.name] = vi.type.tensor_type.elem_type
    for init in g.initializer:
        types[init.name] = init.data_type
    F32, F16 = TensorProto.FLOAT, TensorProto.FLOAT16

    def keep32(node):
        return any("/" + s in node.name or s + "/" in node.name for s in FP32_SCOPES)

    init_by_name = {i.name: i for i in g.initializer}
    consumers = collections.defaultdict(list)
    for node in g.node:
        for x in node.input:
            consumers[x].append(node)
    dtype = {}  # float values' dtype after conversion
    for i in g.input:
        if types.get(i.name) == F32:
            i.type.tensor_type.elem_type = F16
            dtype[i.name] = F16
    new_inits = []
    for init in g.initializer:
        if init.data_type == F32 and all(not keep32(n) for n in consumers[init.name]):
            arr = numpy_helper.to_array(init).astype(np.float16)
            new_inits.append(numpy_helper.from_array(arr, init.name))
            dtype[init.name] = F16
        else:
            new_inits.append(init)
            if init.data_type == F32:
                dtype[init.name] = F32
    del g.initializer[:]
    g.initializer.extend(new_inits)
    nodes, casts = [], {}

    def cast(value, to):
        key = (value, to)
        if key not in casts:
            out = value + ("/to_fp16" if to == F16 else "/to_fp32")
            nodes.append(helper.make_node("Cast", [value], [out], name=out + "_cast", to=to))
            casts[key] = out
            dtype[out] = to
        return casts[key]

    for node in g.node:
        target = F32 if keep32(node) else F16
        if node.op_type not in ("Cast", "Shape"):
            for k, x in enumerate(node.input):
                if x in dtype and dtype[x] != target:
                    node.input[k] = cast(x, target)
        if node.op_type == "Cast":
            for a in node.attribute:
                if a.name == "to" and a.i == F32 and target == F16:
                    a.i = F16
        if node.op_type in ("Constant", "ConstantOfShape") and target == F16:
            for a in node.attribute:
                if a.name == "value" and a.t.data_type == F32:
                    a.t.CopyFrom(numpy_helper.from_array(numpy_helper.to_array(a.t).astype(np.float16), a.t.name))
        for o in node.output:
            if types.get(o) == F32:
                if node.op_type == "Cast":
                    dtype[o] = next(a.i for a in node.attribute if a.name == "to")
                else:
                    dtype[o] = target
        nodes.append(node)
    for o in g.output:
        if types.get(o.name) == F32:
            o.type.tensor_type.elem_type = F16
            if dtype[o.name] != F16:
                # rename the producer's output so the graph output keeps its name, then cast into it
                inner = o.name + "/fp32"
                for n in nodes:
                    n.output[:] = [inner if x == o.name else x for x in n.output]
                    n.input[:] = [inner if x == o.name else x for x in n.input]
                nodes.append(helper.make_node("Cast", [inner], [o.name], name=o.name + "_cast", to=F16))
    del g.node[:]
    g.node.extend(nodes)
    del g.value_info[:]
    model = onnx.shape_inference.infer_shapes(model)
    onnx.checker.check_model(model)
    onnx.save(model, dst)


def rounded_to_fp16(module):
    """A copy whose weights are rounded to float16 as in the float16 graph (the norms' weights stay float32
    there); run it with HALF set."""
    m = copy.deepcopy(module)
    with torch.no_grad():
        for name, p in m.named_parameters():
            if not name.endswith("norm.weight"):
                p.copy_(p.half().float())
    return m


# ============================================================================ references


def r6(x):
    return [float(f"{v:.6g}") for v in x]


def logits_reference(lm, ids):
    """Logits of a fixed prompt, one full pass (positions 0..n-1), every position and every vocabulary entry."""
    t = torch.tensor([ids])
    with torch.no_grad():
        logits, _ = lm(t, torch.ones_like(t), torch.arange(len(ids)).unsqueeze(0))
    return [r6(row) for row in logits[0].tolist()]


def greedy_reference(lm, ids, new_tokens, eos):
    """Greedy continuation with a KV cache, as the generator decodes; also the smallest top-1/top-2 gap."""
    t = torch.tensor([ids])
    out, margins = [], []
    with torch.no_grad():
        logits, past = lm(t, torch.ones_like(t), torch.arange(len(ids)).unsqueeze(0))
        n = len(ids)
        for _ in range(new_tokens):
            last = logits[0, -1]
            top = torch.topk(last, 2)
            margins.append(float(top.values[0] - top.values[1]))
            tok = int(top.indices[0])
            out.append(tok)
            if tok in eos:
                break
            logits, past = lm(torch.tensor([[tok]]), torch.ones((1, n + 1), dtype=torch.long),
                              torch.tensor([[n]]), past)
            n += 1
    return out, min(margins)


def read_properties(path):
    """The subset of java.util.Properties our convention files use (UTF-8, \\uXXXX and \\n escapes)."""
    props = {}
    for line in open(path, encoding="utf-8").read().split("\n"):
        line = line.strip()
        if not line or line[0] in "#!":
            continue
        key, _, raw = line.partition("=")
        out, i = [], 0
        while i < len(raw):
            if raw[i] == "\\":
                n = raw[i + 1]
                if n == "u":
                    out.append(chr(int(raw[i + 2:i + 6], 16)))
                    i += 6
                    continue
                out.append({"n": "\n", "t": "\t"}.get(n, n))
                i += 2
            else:
                out.append(raw[i])
                i += 1
        props[key.strip()] = "".join(out)
    return props


PRM_CASES = [
    {"question": "Natalia sold 48 clips in April and half as many in May. How many in total?",
     "steps": ["Step 1: In May she sold 48 / 2 = 24 clips.", "Step 2: 48 + 24 = 72.", "The answer is \\boxed{72}."]},
    {"question": "What is 12 + 30?", "steps": ["12 + 30 = 42.", "Шаг 2: ответ 42."]},
]


def prm_reference(tok, convention, forward_scores):
    p = read_properties(os.path.join(CONVENTIONS, convention + ".properties"))
    score_id = tok.encode(p["score-token"])[-1]
    cases = []
    for case in PRM_CASES:
        text = p["question-template"].replace("{question}", case["question"])
        text += "".join(s + p["step-separator"] for s in case["steps"])
        ids = tok.encode(text)
        positions = [i for i, t in enumerate(ids) if t == score_id]
        assert len(positions) == len(case["steps"]), (convention, positions)
        scores = forward_scores(ids, positions, p)
        cases.append(dict(case, input_ids=ids, score_positions=positions, scores=r6(scores)))
    return {"convention": convention, "score_token_id": score_id, "cases": cases}


# ============================================================================ writing


def write_json(path, obj):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(obj, f, ensure_ascii=False, indent=1)
        f.write("\n")


def write_tokenizer_files(d, tok, eos_ids, chat=True, template=None, bos_token=None):
    write_json(os.path.join(d, "tokenizer.json"), tok.tokenizer_json())
    cfg = {
        "add_bos_token": False,
        "add_prefix_space": False,
        "added_tokens_decoder": {str(i): {"content": s, "lstrip": False, "normalized": False, "rstrip": False,
                                          "single_word": False, "special": True} for s, i in tok.specials.items()},
        "additional_special_tokens": ["<|im_start|>", "<|im_end|>"],
        "bos_token": bos_token,
        "clean_up_tokenization_spaces": False,
        "eos_token": "<|im_end|>" if chat else "</s>",
        "errors": "replace",
        "model_max_length": 4096,
        "pad_token": "<|endoftext|>",
        "split_special_tokens": False,
        "tokenizer_class": "Qwen2Tokenizer",
        "unk_token": None,
    }
    if chat:
        cfg["chat_template"] = template or CHAT_TEMPLATE
    write_json(os.path.join(d, "tokenizer_config.json"), cfg)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=os.path.join(REPO, "models", "fixtures"))
    args = ap.parse_args()
    torch.manual_seed(0)
    out = args.out
    os.makedirs(out, exist_ok=True)

    merges = train_bpe(CORPUS, VOCAB_SIZE - 256 - len(SPECIALS))
    tok = ByteBpe(merges)
    SPECIAL_IDS.update(tok.specials)
    bpe_ref = {"text": BPE_TEXT, "ids": tok.encode(BPE_TEXT)}
    assert tok.decode(bpe_ref["ids"]) == BPE_TEXT
    chat_ref = [dict(case, rendered=render_chat(case)) for case in CHAT_CASES]
    eos = [tok.specials["<|im_end|>"], tok.specials["<|endoftext|>"]]
    prompt_text = render_chat(CHAT_CASES[0])
    prompt_ids = tok.encode(prompt_text)
    fixed_ids = tok.encode("Step 1: 12 + 30 = 42.\n\nStep 2:")
    summary = {}

    # ---- generators
    for name, config, seed in (("qwen2", qwen2_config(), 18), ("llama", llama_config(), 19)):
        d = os.path.join(out, name)
        shutil.rmtree(d, ignore_errors=True)
        os.makedirs(d)
        lm = CausalLM(config)
        init_weights(lm, seed)
        config = dict(config, eos_token_id=eos[0] if name == "qwen2" else config["eos_token_id"])
        write_json(os.path.join(d, "config.json"), config)
        write_json(os.path.join(d, "generation_config.json"),
                   {"bos_token_id": config["bos_token_id"], "do_sample": False, "eos_token_id": eos,
                    "pad_token_id": tok.specials["<|endoftext|>"], "transformers_version": "4.45.2"})
        # Llama's directory carries Llama 3.1's template (its references render it); the greedy reference still
        # continues the ChatML prompt (only the text matters to the decoder)
        template = LLAMA3_TEMPLATE if name == "llama" else CHAT_TEMPLATE
        bos = "<s>" if name == "llama" else None
        write_tokenizer_files(d, tok, eos, template=template, bos_token=bos)
        chat_ref = [dict(case, rendered=render_chat(case, template, bos or "", "<|im_end|>")) for case in CHAT_CASES]
        export_decoder(lm, config, os.path.join(d, "model.onnx"))
        no_past = os.path.join(d, "decoder_model.onnx")
        export_decoder(lm, config, no_past, with_past=False)
        merge_decoders(os.path.join(d, "model.onnx"), no_past, os.path.join(d, "decoder_model_merged.onnx"))
        os.remove(no_past)
        greedy, margin = greedy_reference(lm, prompt_ids, 24, eos)
        ref = {"bpe": bpe_ref, "chat": chat_ref,
               "float32": {"graphs": ["model.onnx", "decoder_model_merged.onnx"], "tolerance": 1e-4,
                           "logits": {"input_ids": fixed_ids, "logits": logits_reference(lm, fixed_ids)},
                           "greedy": {"prompt": prompt_text, "prompt_ids": prompt_ids, "new_ids": greedy,
                                      "min_top2_margin": margin}}}
        if name == "qwen2":
            # the question the local-mesh test asks (in the arithmetic task's form), as the user's turn
            mesh_case = {"messages": [{"role": "user", "content": "12+30"}], "add_generation_prompt": True}
            mesh_prompt = render_chat(mesh_case)
            ref["mesh"] = {"question": "12+30", "prompt": mesh_prompt, "prompt_tokens": len(tok.encode(mesh_prompt))}
            # and the free-text question the math task's local-mesh test asks (rendered per question)
            math_question = MESH_MATH_QUESTION
            math_prompt = render_chat({"messages": [{"role": "user", "content": math_question}],
                                       "add_generation_prompt": True})
            ref["mesh_math"] = {"question": math_question, "prompt": math_prompt,
                                "prompt_tokens": len(tok.encode(math_prompt))}
            to_float16(os.path.join(d, "model.onnx"), os.path.join(d, "model_fp16.onnx"))
            half = rounded_to_fp16(lm)
            HALF[0] = True
            g16, m16 = greedy_reference(half, prompt_ids, 24, eos)
            logits16 = logits_reference(half, fixed_ids)
            HALF[0] = False
            ref["float16"] = {"graphs": ["model_fp16.onnx"], "tolerance": 1e-2,
                              "logits": {"input_ids": fixed_ids, "logits": logits16},
                              "greedy": {"prompt": prompt_text, "prompt_ids": prompt_ids, "new_ids": g16,
                                         "min_top2_margin": m16}}
            summary["qwen2-fp16"] = {"greedy_margin": m16, "max_abs_logit": max(abs(v) for r in logits16 for v in r)}
        write_json(os.path.join(d, "reference.json"), ref)
        summary[name] = {"greedy_margin": margin, "params": sum(p.numel() for p in lm.parameters())}

    # ---- Qwen2.5-Math-PRM style
    d = os.path.join(out, "qwen2-prm")
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    config = qwen2_config(architectures=["Qwen2ForProcessRewardModel"], num_labels=2,
                          id2label={"0": "LABEL_0", "1": "LABEL_1"}, label2id={"LABEL_0": 0, "LABEL_1": 1},
                          eos_token_id=eos[0])
    prm = ProcessRewardModel(config)
    init_weights(prm, 20)
    write_json(os.path.join(d, "config.json"), config)
    write_tokenizer_files(d, tok, eos)
    export_prm(prm, os.path.join(d, "model.onnx"))

    def qwen_scores(ids, positions, p):
        t = torch.tensor([ids])
        with torch.no_grad():
            probs = torch.softmax(prm(t, torch.ones_like(t))[0], dim=-1)[:, int(p.get("positive-index", "1"))]
        return [float(probs[i]) for i in positions]

    prm_ref = {"prm": prm_reference(tok, "qwen2.5-math-prm", qwen_scores), "tolerance": 1e-4}
    # the float16 export of the same PRM (what --dtype fp16 gives): float16 logits, scored alike
    to_float16(os.path.join(d, "model.onnx"), os.path.join(d, "model_fp16.onnx"))
    full_precision = prm
    prm = rounded_to_fp16(full_precision)
    HALF[0] = True
    prm_ref["float16"] = {"graph": "model_fp16.onnx", "tolerance": 1e-2,
                          "prm": prm_reference(tok, "qwen2.5-math-prm", qwen_scores)}
    HALF[0] = False
    prm = full_precision
    write_json(os.path.join(d, "reference.json"), prm_ref)

    # ---- Math-Shepherd style (a Llama-family causal LM)
    d = os.path.join(out, "math-shepherd-prm")
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    config = llama_config()
    shepherd = CausalLM(config)
    init_weights(shepherd, 21)
    write_json(os.path.join(d, "config.json"), config)
    write_tokenizer_files(d, tok, [config["eos_token_id"]], chat=False)
    export_lm_no_past(shepherd, os.path.join(d, "model.onnx"))

    def shepherd_scores(ids, positions, p):
        plus, minus = tok.encode(p["positive-token"])[-1], tok.encode(p["negative-token"])[-1]
        t = torch.tensor([ids])
        with torch.no_grad():
            logits, _ = shepherd(t, torch.ones_like(t), torch.arange(len(ids)).unsqueeze(0))
        pair = torch.softmax(logits[0][:, [plus, minus]], dim=-1)[:, 0]
        return [float(pair[i]) for i in positions]

    write_json(os.path.join(d, "reference.json"), {"prm": prm_reference(tok, "math-shepherd", shepherd_scores),
                                                   "tolerance": 1e-4})
    total = sum(os.path.getsize(os.path.join(r, f)) for r, _, fs in os.walk(out) for f in fs)
    print(json.dumps(dict(summary, bytes=total, bpe_tokens=len(bpe_ref["ids"])), indent=1))


if __name__ == "__main__":
    main()
