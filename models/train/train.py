#!/usr/bin/python3
"""Train, evaluate and export the bundled test-bed models from one seed.

    /usr/bin/python3 models/train/train.py --out models --seed 1234                  # arithmetic
    /usr/bin/python3 models/train/train.py --task countdown --out models --seed 1234 # -> models/countdown/

Phases (each checkpointed under --work, git-ignored; a rerun resumes where it stopped):
  data     held-out set, train split, grader fixtures
  gen      generator training (char-level decoder, loss on the solution only)
  samples  the generator samples training problems (its own errors) for the PRM
  prm      PRM training (block-causal encoder initialised from the generator) on the
           generator's samples plus corrupted and gold solutions, class-balanced; calibration
  eval     held-out: greedy, 16 samples at the recommended temperature, PRM scores, metrics
  export   ONNX export (Optimum decoder layout) of both models + config/tokenizer files
  checks   chunked == full, ONNX Runtime == PyTorch, sizes
"""
import argparse
import json
import math
import os
import random
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
# OpenMP threads that spin while waiting are ruinous on a shared 2-core machine (measured: a
# decode step 1.5 s -> 0.06 s, a training step 1.1 s -> 0.3 s); must be set before torch loads.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

import chartok as tok  # noqa: E402
import data  # noqa: E402
import export  # noqa: E402
import infer  # noqa: E402
import metrics  # noqa: E402
import tasks  # noqa: E402
from model import ModelConfig, TinyTransformer  # noqa: E402

HELDOUT_SEED_OFFSET = 1_000_003
T = tasks.TASKS["arithmetic"]  # the task this run trains (--task)


def log(*a):
    print(time.strftime("%H:%M:%S"), *a, flush=True)


class Run:
    def __init__(self, args):
        self.a = args
        self.work = args.work
        os.makedirs(self.work, exist_ok=True)
        self.state_path = os.path.join(self.work, "state.json")
        self.state = {"done": [], "seconds": {}}
        if os.path.exists(self.state_path):
            with open(self.state_path) as f:
                self.state = json.load(f)
            if self.state.get("args") not in (None, self.args_key()):
                raise SystemExit(f"{self.work} holds a run with other arguments; use another --work")
        self.state["args"] = self.args_key()

    def args_key(self):
        d = dict(vars(self.a))
        d.pop("out")
        d.pop("work")
        return d

    def save_state(self):
        tmp = self.state_path + ".tmp"
        with open(tmp, "w") as f:
            json.dump(self.state, f, indent=1)
        os.replace(tmp, self.state_path)

    def phase(self, name, fn):
        if name in self.state["done"]:
            log(f"phase {name}: already done ({self.state['seconds'].get(name, 0):.0f}s)")
            return
        log(f"phase {name}: start")
        t0, c0 = time.time(), time.process_time()
        fn()
        # wall-clock and CPU time (all threads of this process) of this invocation; a phase
        # interrupted and resumed also counts the time recorded in its checkpoint (train phases)
        dt = time.time() - t0
        cpu = time.process_time() - c0
        self.state["seconds"][name] = dt
        self.state.setdefault("cpu_seconds", {})[name] = cpu
        self.state["done"].append(name)
        self.save_state()
        log(f"phase {name}: done in {dt:.0f}s wall, {cpu:.0f}s CPU")

    def path(self, *p):
        return os.path.join(self.work, *p)

    # ------------------------------------------------------------------ configs
    def gen_cfg(self):
        a = self.a
        return ModelConfig(tok.VOCAB_SIZE, a.gen_d, a.gen_layers, a.gen_heads, a.gen_ff,
                           256, "causal", 0, tok.NEWLINE_ID)

    def prm_cfg(self):
        a = self.a
        return ModelConfig(tok.VOCAB_SIZE, a.gen_d, a.gen_layers + a.prm_extra_layers,
                           a.gen_heads, a.gen_ff, 256, "step", 2, tok.NEWLINE_ID)

    # ------------------------------------------------------------------ phase: data
    def heldout(self):
        return [T.load(json.loads(l)) for l in open(self.path("heldout.jsonl"))]

    def exclude(self):
        with open(self.path("exclude.json")) as f:
            return set(json.load(f))

    def do_data(self):
        a = self.a
        held = T.problem_set(a.seed + HELDOUT_SEED_OFFSET, a.heldout_n, prefix=T.id_prefix + "heldout")
        hq = {p.question for p in held}
        split = T.problem_set(a.seed, a.train_split_n, prefix=T.id_prefix + "train", exclude=hq)
        for name, probs in [("heldout.jsonl", held), ("train-split.jsonl", split)]:
            with open(self.path(name), "w") as f:
                for p in probs:
                    f.write(json.dumps(p.to_json()) + "\n")
        with open(self.path("exclude.json"), "w") as f:
            json.dump(sorted(hq | {p.question for p in split}), f)

    # ------------------------------------------------------------------ phase: gen
    def train_loop(self, name, model, opt, batch_loss, steps, minutes, peak_lr, ckpt):
        """Shared loop: warm-up + cosine schedule over a fixed number of steps or, when
        ``steps`` is 0, over a wall-clock budget of ``minutes`` (the schedule then follows the
        fraction of the budget spent).  Checkpoints every ``--ckpt-every`` steps and resumes."""
        a = self.a
        step, elapsed, cpu0 = 0, 0.0, 0.0
        if os.path.exists(ckpt):
            st = torch.load(ckpt)
            model.load_state_dict(st["model"])
            opt.load_state_dict(st["opt"])
            step, elapsed, cpu0 = st["step"], st["elapsed"], st.get("cpu", 0.0)
            log(f"  resumed {name} at step {step} ({elapsed / 60:.1f} min)")
        budget = minutes * 60.0

        def progress():
            return step / steps if steps else elapsed / budget

        t_last, s0, e0, ema = time.time(), step, elapsed, None
        c_start = time.process_time()
        model.train()
        while progress() < 1.0:
            p = progress()
            warm = 0.04
            lr = peak_lr * (p / warm if p < warm else 0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * (p - warm) / (1 - warm))))
            for g in opt.param_groups:
                g["lr"] = max(lr, peak_lr * 0.01)
            loss = batch_loss(step)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            step += 1
            now = time.time()
            elapsed += now - t_last
            t_last = now
            ema = loss.item() if ema is None else 0.98 * ema + 0.02 * loss.item()
            last = progress() >= 1.0
            if step % a.log_every == 0 or last:
                sps = (elapsed - e0) / (step - s0)
                left = (steps - step) * sps if steps else budget - elapsed
                log(f"  {name} step {step}{'/' + str(steps) if steps else ''} loss {ema:.4f} "
                    f"lr {lr:.2e} {sps:.2f}s/step elapsed {elapsed / 60:.1f} min ETA {max(0, left) / 60:.1f} min")
            if step % a.ckpt_every == 0 or last:
                torch.save({"model": model.state_dict(), "opt": opt.state_dict(), "step": step,
                            "elapsed": elapsed, "cpu": cpu0 + time.process_time() - c_start}, ckpt + ".tmp")
                os.replace(ckpt + ".tmp", ckpt)
        self.state.setdefault("steps", {})[name] = step
        self.state.setdefault("train_minutes", {})[name] = round(elapsed / 60, 2)
        self.state.setdefault("train_cpu_minutes", {})[name] = round((cpu0 + time.process_time() - c_start) / 60, 2)
        self.save_state()
        return step

    def do_gen(self):
        a = self.a
        torch.manual_seed(a.seed)
        model = TinyTransformer(self.gen_cfg())
        opt = torch.optim.AdamW(model.parameters(), lr=a.gen_lr, betas=(0.9, 0.98),
                                weight_decay=0.01)
        log(f"  generator: {model.n_params()} parameters, batch {a.gen_batch}, "
            f"{a.gen_steps or str(a.gen_minutes) + ' min'}")
        excl = self.exclude()
        weights = [float(x) for x in (a.gen_difficulty_weights or T.default_weights).split(",")]
        diffs = [d for d, w in zip(T.train_difficulties, weights) for _ in range(int(w * 4))]
        chunk_batches = 64
        cache = {}

        def batch_loss(step):
            c = step // chunk_batches
            if c not in cache:  # deterministic data per chunk of steps (resume-safe)
                cache.clear()
                probs = T.problem_stream(f"{a.seed}/gen/{c}", chunk_batches * a.gen_batch, excl, diffs)
                exs = [data.generator_example(p.question, T.solution_text(p)) for p in probs]
                rng = random.Random(f"{a.seed}/genorder/{c}")
                cache[c] = [[exs[i] for i in b] for b in
                            data.length_bucketed_batches(exs, a.gen_batch, rng, key=lambda e: len(e[0]))]
            batches = cache[c]
            ids, mask, pos, tgt = data.collate_lm(batches[step % chunk_batches % len(batches)])
            logits, _ = model(ids, mask, pos)
            return F.cross_entropy(logits.reshape(-1, logits.shape[-1]), tgt.reshape(-1))

        self.train_loop("gen", model, opt, batch_loss, a.gen_steps, a.gen_minutes, a.gen_lr,
                        self.path("gen.ckpt"))
        torch.save(model.state_dict(), self.path("generator.pt"))

    def load_gen(self):
        m = TinyTransformer(self.gen_cfg())
        m.load_state_dict(torch.load(self.path("generator.pt")))
        m.eval()
        return m

    # ------------------------------------------------------------------ phase: samples
    def do_samples(self):
        a = self.a
        model = self.load_gen()
        excl = self.exclude()
        probs = T.problem_stream(f"{a.seed}/prm", a.prm_problems, excl, list(T.eval_difficulties))
        prompts = []
        for p in probs:
            prompts += [tok.encode(data.prompt_text(p.question))] * a.prm_samples
        t0 = time.time()
        res = []
        bs = 2048
        for s in range(0, len(prompts), bs):
            res += infer.generate(model, prompts[s:s + bs], a.temperature, a.max_new,
                                  seed=a.seed * 7 + s // bs)
            done = min(s + bs, len(prompts))
            el = time.time() - t0
            log(f"  sampled {done}/{len(prompts)} ETA {el / done * (len(prompts) - done) / 60:.1f} min")
        out = []
        for i, p in enumerate(probs):
            for j in range(a.prm_samples):
                ids, fin = res[i * a.prm_samples + j]
                out.append({"q": p.question, "a": T.answer_of(p), "d": p.difficulty,
                            "c": tok.decode(ids), "eos": fin})
        with open(self.path("prm-samples.jsonl"), "w") as f:
            for r in out:
                f.write(json.dumps(r) + "\n")

    # ------------------------------------------------------------------ phase: prm
    def prm_dataset(self):
        """Examples (ids, delimiter positions, labels, weights) and a held-back calibration set."""
        a = self.a
        rows = [json.loads(l) for l in open(self.path("prm-samples.jsonl"))]
        rng = random.Random(f"{a.seed}/prmdata")
        questions = sorted({r["q"] for r in rows})
        rng.shuffle(questions)
        calib_q = set(questions[:max(1, len(questions) // 20)])
        train, calib = [], []
        n_gold = n_corr = 0
        for r in rows:
            lines = data.completion_lines(r["c"])
            if not lines:
                continue
            ex = data.prm_example(r["q"], lines, T.prm_labels(r["q"], lines))
            (calib if r["q"] in calib_q else train).append(ex)
        # corrupted gold solutions (one error, propagated) and gold solutions
        tq = [q for q in questions if q not in calib_q]
        n_extra = int(len(train) * a.prm_corrupt_ratio)
        for i in range(n_extra):
            q = tq[i % len(tq)]
            lines, gold = T.extra_prm_lines(q, rng)
            n_gold += gold
            n_corr += not gold
            train.append(data.prm_example(q, lines, T.prm_labels(q, lines)))
        # class balance: weights so that both classes carry the same total weight; the
        # answer line (the score best-of-N uses) counts double
        pos = sum(sum(e[2]) for e in train)
        tot = sum(len(e[2]) for e in train)
        wp, wn = tot / (2 * pos), tot / (2 * (tot - pos))
        out = []
        for ids, nl, lab in train:
            w = [(wp if y else wn) for y in lab]
            w[-1] *= a.prm_answer_weight
            out.append((ids, nl, lab, w))
        log(f"  PRM data: {len(out)} examples ({len(rows)} generator samples, {n_corr} corrupted or random, "
            f"{n_gold} gold), {tot} scored steps, {pos / tot:.1%} positive; calibration {len(calib)}")
        return out, calib

    def do_prm(self):
        a = self.a
        train, calib = self.prm_dataset()
        torch.manual_seed(a.seed + 1)
        model = TinyTransformer(self.prm_cfg())
        gen_state = torch.load(self.path("generator.pt"))
        own = model.state_dict()
        loaded = 0
        for k, v in gen_state.items():  # initialise from the generator (same width)
            if k in own and own[k].shape == v.shape:
                own[k] = v
                loaded += 1
        model.load_state_dict(own)
        log(f"  PRM: {model.n_params()} parameters, {loaded} tensors from the generator, "
            f"batch {a.prm_batch}, {a.prm_steps or str(a.prm_minutes) + ' min'}")
        opt = torch.optim.AdamW(model.parameters(), lr=a.prm_lr, betas=(0.9, 0.98), weight_decay=0.01)
        per_epoch = len(train) // a.prm_batch
        cache = {}

        def batch_loss(step):
            e = step // per_epoch
            if e not in cache:
                cache.clear()
                rng = random.Random(f"{a.seed}/prmorder/{e}")
                bs = data.length_bucketed_batches(train, a.prm_batch, rng, key=lambda x: len(x[0]))
                cache[e] = [b for b in bs if len(b) == a.prm_batch][:per_epoch]
            batches = cache[e]
            ids, mask, pos, bi, pi, lab, w = data.collate_prm(
                [train[i] for i in batches[step % per_epoch % len(batches)]])
            logits, _ = model(ids, mask, pos)
            lg = logits[bi, pi]
            return (F.cross_entropy(lg, lab, reduction="none") * w).sum() / w.sum()

        self.train_loop("prm", model, opt, batch_loss, a.prm_steps, a.prm_minutes, a.prm_lr,
                        self.path("prm.ckpt"))
        # calibration: one temperature on the logits, fitted on held-back problems' samples
        model.eval()
        with torch.no_grad():
            lgs, labs = [], []
            for s in range(0, len(calib), 256):
                ids, mask, pos, bi, pi, lab, _ = data.collate_prm(calib[s:s + 256])
                logits, _ = model(ids, mask, pos)
                lgs.append(logits[bi, pi])
                labs.append(lab)
            lgs, labs = torch.cat(lgs), torch.cat(labs)
        best = (None, 1.0)
        for t in [x / 20 for x in range(5, 81)]:
            nll = float(F.cross_entropy(lgs / t, labs))
            if best[0] is None or nll < best[0]:
                best = (nll, t)
        temp = best[1]
        sc = torch.softmax(lgs, -1)[:, 1].tolist()
        log(f"  calibration: temperature {temp:.2f} (nll {best[0]:.4f}); held-back step AUC "
            f"{metrics.auc(sc, labs.tolist())}")
        with torch.no_grad():  # bake the temperature into the classifier
            model.head.weight.div_(temp)
            model.head.bias.div_(temp)
        torch.save(model.state_dict(), self.path("prm.pt"))
        self.state["prm_temperature"] = temp
        self.save_state()

    def load_prm(self):
        m = TinyTransformer(self.prm_cfg())
        m.load_state_dict(torch.load(self.path("prm.pt")))
        m.eval()
        return m

    # ------------------------------------------------------------------ phase: eval
    def do_eval(self):
        a = self.a
        held = self.heldout()
        if a.eval_n:
            held = held[:a.eval_n]
        gen, prm = self.load_gen(), self.load_prm()
        prompts = [tok.encode(data.prompt_text(p.question)) for p in held]
        t0 = time.time()
        greedy = infer.generate(gen, prompts, 0.0, a.max_new, seed=0)
        log(f"  greedy done in {time.time() - t0:.0f}s")
        n = a.eval_samples
        sp = [pr for pr in prompts for _ in range(n)]
        samples = []
        bs = 2048
        for s in range(0, len(sp), bs):
            samples += infer.generate(gen, sp[s:s + bs], a.temperature, a.max_new,
                                      seed=a.seed * 13 + 1 + s // bs)
            log(f"  sampled {min(s + bs, len(sp))}/{len(sp)} ({time.time() - t0:.0f}s)")
        items, rows = [], []
        for i, p in enumerate(held):
            g_text = tok.decode(greedy[i][0])
            _, g_answer, g_correct = T.grade(p.question, T.answer_of(p), g_text)
            row = {"id": p.id, "question": p.question, "answer": T.answer_of(p),
                   "difficulty": p.difficulty,
                   "greedy": {"completion": g_text, "answer": g_answer, "correct": g_correct},
                   "samples": []}
            for j in range(n):
                ids, fin = samples[i * n + j]
                text = tok.decode(ids)
                labels, answer, correct = T.grade(p.question, T.answer_of(p), text)
                lines = data.completion_lines(text)
                row["samples"].append({"completion": text, "steps": lines, "labels": labels,
                                       "answer": answer, "correct": correct,
                                       "eos": fin})
                items.append((p.question, lines))
            rows.append(row)
        t1 = time.time()
        scores = infer.prm_scores(prm, items)
        log(f"  PRM scored {len(items)} samples in {time.time() - t1:.0f}s")
        k = 0
        for row in rows:
            for s in row["samples"]:
                s["scores"] = [round(x, 6) for x in scores[k]]
                k += 1
        with open(self.path("heldout-eval.json"), "w") as f:
            json.dump(rows, f)

    # ------------------------------------------------------------------ phase: export
    def do_export(self):
        a = self.a
        gen, prm = self.load_gen(), self.load_prm()
        gdir, pdir = os.path.join(a.out, T.out_subdir, "generator"), os.path.join(a.out, T.out_subdir, "prm")
        os.makedirs(gdir, exist_ok=True)
        os.makedirs(pdir, exist_ok=True)
        sizes = {"generator": export.export_onnx(gen, os.path.join(gdir, "model.onnx")),
                 "prm": export.export_onnx(prm, os.path.join(pdir, "model.onnx"))}
        gc, pc = gen.cfg, prm.cfg
        common = {"vocab_size": tok.VOCAB_SIZE, "max_position_embeddings": 256,
                  "bos_token_id": tok.BOS_ID, "eos_token_id": tok.EOS_ID, "pad_token_id": tok.PAD_ID,
                  "delimiter_token_id": tok.NEWLINE_ID, "step_delimiter": "\n",
                  "torch_dtype": "float32"}
        gconf = {"model_type": "tts-testbed-gpt", "architectures": ["TtsTestbedGptForCausalLM"],
                 "num_hidden_layers": gc.n_layers, "num_attention_heads": gc.n_heads,
                 "num_key_value_heads": gc.n_heads, "hidden_size": gc.d_model,
                 "head_dim": gc.head_dim, "intermediate_size": gc.d_ff, "hidden_act": "gelu",
                 "position_embedding_type": "rope", "rope_theta": gc.rope_theta, "tie_word_embeddings": True,
                 "use_cache": True, **common,
                 "prompt_template": "Q: {question}\n",
                 "testbed": {"task": T.name, "seed": a.seed, "parameters": gen.n_params(),
                             "onnx_opset": export.OPSET}}
        pconf = {"model_type": "tts-testbed-prm", "architectures": ["TtsTestbedPrmForTokenClassification"],
                 "num_hidden_layers": pc.n_layers, "num_attention_heads": pc.n_heads,
                 "num_key_value_heads": pc.n_heads, "hidden_size": pc.d_model,
                 "head_dim": pc.head_dim, "intermediate_size": pc.d_ff, "hidden_act": "gelu",
                 "position_embedding_type": "rope", "rope_theta": pc.rope_theta, "use_cache": True, **common,
                 "num_labels": 2, "id2label": {"0": "wrong", "1": "right"},
                 "label2id": {"wrong": 0, "right": 1}, "positive_label_index": 1,
                 "attention": "step-causal",
                 "score": "softmax(logits)[..., positive_label_index] at the delimiter ending each step",
                 "input_template": "Q: {question}\n{step_1}\n{step_2}\n...{step_k}\n",
                 "past_contract": "past_key_values must end right after a delimiter token",
                 "calibration_temperature": self.state.get("prm_temperature"),
                 "testbed": {"task": T.name, "seed": a.seed, "parameters": prm.n_params(),
                             "onnx_opset": export.OPSET, "initialised_from": "generator"}}
        for d, conf in [(gdir, gconf), (pdir, pconf)]:
            with open(os.path.join(d, "config.json"), "w") as f:
                json.dump(conf, f, indent=2)
                f.write("\n")
            tok.write_tokenizer_files(d, 256)
        with open(os.path.join(gdir, "generation_config.json"), "w") as f:
            json.dump({"bos_token_id": tok.BOS_ID, "eos_token_id": tok.EOS_ID, "pad_token_id": tok.PAD_ID,
                       "do_sample": True, "temperature": a.temperature, "top_k": 0, "top_p": 1.0,
                       "max_new_tokens": a.max_new}, f, indent=2)
            f.write("\n")
        self.state["onnx_bytes"] = sizes
        self.save_state()

    # ------------------------------------------------------------------ phase: checks
    def do_checks(self):
        a = self.a
        gen, prm = self.load_gen(), self.load_prm()
        held = self.heldout()[:6]
        texts = [data.prompt_text(p.question) + T.solution_text(p) for p in held]
        items = [(p.question, T.solution_text(p).split("\n")) for p in held]
        items += [(held[0].question, ["1+1=2", "A: 5"]), (held[1].question, [])]
        res = {"generator_incremental_vs_full": export.check_generator_torch(gen, texts),
               "prm_chunked_vs_full": export.check_prm_torch(prm, items)}
        ort = export.find_ort_node(self.work)
        if ort:
            d, gi, go = export.check_onnx_vs_torch(
                gen, os.path.join(a.out, T.out_subdir, "generator", "model.onnx"),
                export.onnx_cases_generator(gen.cfg, texts), ort)
            res["generator_onnx_vs_torch"] = d
            d2, pi, po = export.check_onnx_vs_torch(
                prm, os.path.join(a.out, T.out_subdir, "prm", "model.onnx"), export.onnx_cases_prm(prm, items[:6]),
                ort)
            res["prm_onnx_vs_torch"] = d2
            exp_in, exp_out = export.io_names(gen.cfg.n_layers)
            assert gi == exp_in and go == exp_out, (gi, go)
            exp_in, exp_out = export.io_names(prm.cfg.n_layers)
            assert pi == exp_in and po == exp_out, (pi, po)
        else:
            log("  WARNING: node/onnxruntime-node not available: ONNX Runtime check skipped")
        res["onnx_bytes"] = self.state.get("onnx_bytes")
        for k, v in res.items():
            log(f"  {k}: {v}")
        for k in ["generator_incremental_vs_full", "prm_chunked_vs_full", "generator_onnx_vs_torch",
                  "prm_onnx_vs_torch"]:
            if k in res:
                assert res[k] < 1e-4, (k, res[k])
        for k, v in res["onnx_bytes"].items():
            assert v <= 10 * 1024 * 1024, (k, v)
        self.state["checks"] = res
        self.save_state()

    # ------------------------------------------------------------------ write outputs
    def write_outputs(self):
        a = self.a
        ev = os.path.join(a.out, T.out_subdir, "eval")
        os.makedirs(ev, exist_ok=True)
        for name in ["heldout.jsonl", "train-split.jsonl"]:
            with open(self.path(name)) as f, open(os.path.join(ev, name), "w") as g:
                g.write(f.read())
        T.write_fixtures(os.path.join(ev, "grader-fixtures.jsonl"))
        rows = json.load(open(self.path("heldout-eval.json")))
        table = metrics.baseline(rows)
        with open(os.path.join(ev, "heldout-samples.jsonl"), "w") as f:
            for r in rows:
                out = {"id": r["id"], "question": r["question"], "answer": r["answer"],
                       "difficulty": r["difficulty"], "greedy_answer": r["greedy"]["answer"],
                       "greedy_correct": r["greedy"]["correct"],
                       "samples": [{"steps": s["steps"], "labels": s["labels"], "scores": s["scores"],
                                    "answer": s["answer"], "correct": s["correct"]}
                                   for s in r["samples"]]}
                f.write(json.dumps(out, separators=(",", ":")) + "\n")
        secs = {k: round(v, 1) for k, v in self.state["seconds"].items()}
        baseline = {
            "command": " ".join(["/usr/bin/python3", "models/train/train.py"] + self.a.argv),
            "task": T.name, "seed": a.seed, "heldout_seed": a.seed + HELDOUT_SEED_OFFSET,
            "temperature": a.temperature, "samples_per_question": a.eval_samples,
            "questions": len(rows), "seconds_per_phase": secs,
            "total_minutes": round(sum(secs.values()) / 60, 1),
            "cpu_seconds_per_phase": {k: round(v, 1) for k, v in self.state.get("cpu_seconds", {}).items()},
            "training_steps": self.state.get("steps"), "training_wall_minutes": self.state.get("train_minutes"),
            "training_cpu_minutes": self.state.get("train_cpu_minutes"),
            "checks": self.state.get("checks"), "prm_calibration_temperature": self.state.get("prm_temperature"),
            "metrics": table,
            "definitions": metrics.DEFINITIONS,
        }
        with open(os.path.join(ev, "baseline.json"), "w") as f:
            json.dump(baseline, f, indent=2)
            f.write("\n")
        log("\n" + metrics.markdown(table))
        log(f"seconds per phase: {secs}; total {baseline['total_minutes']} min")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--task", choices=sorted(tasks.TASKS), default="arithmetic")
    ap.add_argument("--out", default=os.path.normpath(os.path.join(HERE, "..")))
    ap.add_argument("--seed", type=int, default=1234)
    ap.add_argument("--work", default=os.path.join(HERE, "work"))
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--heldout-n", type=int, default=1000)
    ap.add_argument("--train-split-n", type=int, default=1000)
    ap.add_argument("--gen-d", type=int, default=128)
    ap.add_argument("--gen-layers", type=int, default=3)
    ap.add_argument("--gen-heads", type=int, default=4)
    ap.add_argument("--gen-ff", type=int, default=512)
    ap.add_argument("--gen-steps", type=int, default=7000,
                    help="fixed training steps, so a seed gives the same model on any machine (0: use --gen-minutes)")
    ap.add_argument("--gen-minutes", type=float, default=30.0, help="wall-clock budget, only with --gen-steps 0")
    ap.add_argument("--gen-difficulty-weights", default=None,
                    help="relative weights of the training difficulties (arithmetic: 1..5 operations, default "
                         "2,2,2,1,1; countdown: 2..5 numbers, default 1,2,3,3)")
    ap.add_argument("--gen-batch", type=int, default=64)
    ap.add_argument("--gen-lr", type=float, default=2.5e-3)
    ap.add_argument("--prm-extra-layers", type=int, default=1)
    ap.add_argument("--prm-problems", type=int, default=4000)
    ap.add_argument("--prm-samples", type=int, default=6)
    ap.add_argument("--prm-corrupt-ratio", type=float, default=0.6)
    ap.add_argument("--prm-answer-weight", type=float, default=2.0)
    ap.add_argument("--prm-steps", type=int, default=2500, help="fixed training steps (0: use --prm-minutes)")
    ap.add_argument("--prm-minutes", type=float, default=15.0, help="wall-clock budget, only with --prm-steps 0")
    ap.add_argument("--prm-batch", type=int, default=64)
    ap.add_argument("--prm-lr", type=float, default=1e-3)
    ap.add_argument("--temperature", type=float, default=0.8)
    ap.add_argument("--max-new", type=int, default=120)
    ap.add_argument("--eval-samples", type=int, default=16)
    ap.add_argument("--eval-n", type=int, default=0, help="evaluate only the first N held-out problems")
    ap.add_argument("--log-every", type=int, default=50)
    ap.add_argument("--ckpt-every", type=int, default=200)
    args = ap.parse_args()
    args_argv = sys.argv[1:]
    global T
    T = tasks.TASKS[args.task]
    tok.select(T.chars)
    torch.set_num_threads(args.threads)
    run = Run(args)
    args.argv = args_argv
    t0 = time.time()
    run.phase("data", run.do_data)
    run.phase("gen", run.do_gen)
    run.phase("samples", run.do_samples)
    run.phase("prm", run.do_prm)
    run.phase("eval", run.do_eval)
    run.phase("export", run.do_export)
    run.phase("checks", run.do_checks)
    run.write_outputs()
    log(f"all done; this invocation took {(time.time() - t0) / 60:.1f} min")


if __name__ == "__main__":
    main()
