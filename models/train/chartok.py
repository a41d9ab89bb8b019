"""Character-level tokenizer of the test bed, and its Hugging Face ``tokenizer.json``.

Vocabulary (id: token): 0 ``<pad>``, 1 ``<s>``, 2 ``</s>`` (EOS), 3 ``<unk>``, 4 ``\\n``
(the step delimiter), 5 space, 6..15 digits ``0``..``9``, then ``+ - * ( ) = : A Q``.
The Hugging Face form is a ``WordLevel`` model over single characters, a ``Split``
pre-tokenizer that isolates every character (newline included), no normalizer, no
post-processor (no special tokens are added), and a ``Fuse`` decoder (plain concatenation).
"""
import json

SPECIALS = ["<pad>", "<s>", "</s>", "<unk>"]
CHARS = ["\n", " "] + [str(d) for d in range(10)] + list("+-*()=:AQ")
VOCAB = SPECIALS + CHARS
STOI = {t: i for i, t in enumerate(VOCAB)}
PAD_ID, BOS_ID, EOS_ID, UNK_ID = 0, 1, 2, 3
NEWLINE_ID = STOI["\n"]
VOCAB_SIZE = len(VOCAB)


def select(chars):
    """Use another task's characters (the script trains one task per run). Every task keeps the specials
    at 0..3 and ``\\n`` at 4, so the ids the engines and the PRM delimiter rely on never move."""
    global CHARS, VOCAB, STOI, VOCAB_SIZE
    assert chars[0] == "\n", "the step delimiter must stay id 4"
    CHARS = list(chars)
    VOCAB = SPECIALS + CHARS
    STOI = {t: i for i, t in enumerate(VOCAB)}
    VOCAB_SIZE = len(VOCAB)


def encode(text: str):
    """Characters to ids (no special tokens are added; ``</s>`` is NOT parsed from text here)."""
    return [STOI.get(c, UNK_ID) for c in text]


def decode(ids, skip_special=True):
    out = []
    for i in ids:
        t = VOCAB[i]
        if t in SPECIALS:
            if skip_special:
                continue
        out.append(t)
    return "".join(out)


def tokenizer_json() -> dict:
    added = [{"id": STOI[t], "content": t, "single_word": False, "lstrip": False,
              "rstrip": False, "normalized": False, "special": True} for t in SPECIALS]
    return {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": added,
        "normalizer": None,
        "pre_tokenizer": {"type": "Split", "pattern": {"Regex": "[\\s\\S]"},
                          "behavior": "Isolated", "invert": False},
        "post_processor": None,
        "decoder": {"type": "Fuse"},
        "model": {"type": "WordLevel", "vocab": dict(STOI), "unk_token": "<unk>"},
    }


def tokenizer_config(model_max_length: int) -> dict:
    return {
        "tokenizer_class": "PreTrainedTokenizerFast",
        "bos_token": "<s>", "eos_token": "</s>", "unk_token": "<unk>", "pad_token": "<pad>",
        "add_bos_token": False, "add_eos_token": False,
        "model_max_length": model_max_length,
        "padding_side": "left",
        "clean_up_tokenization_spaces": False,
    }


def special_tokens_map() -> dict:
    return {"bos_token": "<s>", "eos_token": "</s>", "unk_token": "<unk>", "pad_token": "<pad>"}


def write_tokenizer_files(directory: str, model_max_length: int):
    with open(f"{directory}/tokenizer.json", "w") as f:
        json.dump(tokenizer_json(), f, indent=1, ensure_ascii=False)
        f.write("\n")
    with open(f"{directory}/tokenizer_config.json", "w") as f:
        json.dump(tokenizer_config(model_max_length), f, indent=1)
        f.write("\n")
    with open(f"{directory}/special_tokens_map.json", "w") as f:
        json.dump(special_tokens_map(), f, indent=1)
        f.write("\n")
