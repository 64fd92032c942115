"""Trains the tokenizer and tiny-decoder. Run by make_models.sh; see models/README.md.

Curriculum (see ../shared/MODELS.md): stage 0 trains induction on repeated random strings until
the loss on the repeated half collapses; stage 1 mixes real text and code, repeated spans,
pass-key and key->value retrieval sequences, at growing lengths.
"""
import argparse
import json
import math
import os
import random
import time

import numpy as np
import sentencepiece as spm
import torch
import torch.nn.functional as F

import corpus
import tinylm

SEED = 1234
SPECIAL = 3  # ids 0..2: unk, bos, eos


def train_tokenizer(out_dir, vocab):
    path = os.path.join(out_dir, "tokenizer.model")
    if os.path.exists(path):
        return spm.SentencePieceProcessor(model_file=path)
    rng = random.Random(SEED)
    lines = []
    for kind in ("code", "text"):
        for _, text in corpus.load(kind, "train"):
            lines += [l for l in text.split("\n") if l.strip()]
    rng.shuffle(lines)
    sample = os.path.join(out_dir, "spm-input.txt")
    with open(sample, "w", encoding="utf-8") as f:
        f.write("\n".join(lines[:400_000]))
    spm.SentencePieceTrainer.train(
        input=sample, model_prefix=os.path.join(out_dir, "tokenizer"), vocab_size=vocab, model_type="bpe",
        byte_fallback=True, split_digits=True, character_coverage=1.0, normalization_rule_name="identity",
        remove_extra_whitespaces=False, allow_whitespace_only_pieces=True, split_by_whitespace=True,
        unk_id=0, bos_id=1, eos_id=2, pad_id=-1, max_sentence_length=1 << 16, seed_sentencepiece_size=200_000,
        num_threads=2, minloglevel=2)
    os.remove(sample)
    os.remove(os.path.join(out_dir, "tokenizer.vocab"))
    return spm.SentencePieceProcessor(model_file=path)


def encode_split(sp, kind, split):
    ids = []
    for _, text in corpus.load(kind, split):
        ids += sp.encode(text) + [2]
    return np.array(ids, dtype=np.int32)


class Tasks:
    """Generates training and evaluation sequences."""

    def __init__(self, sp, text, code, rng):
        self.sp, self.text, self.code, self.rng = sp, text, code, rng
        self.words = [w for w in ("anchor harbour river lantern copper violet meadow falcon orbit pepper garnet timber"
                                  " saddle marble cobalt willow ember quartz juniper tundra").split()]

    def window(self, source, n):
        start = self.rng.randrange(0, len(source) - n - 1)
        return source[start:start + n].tolist()

    def filler(self, n):
        return self.window(self.text if self.rng.random() < 0.7 else self.code, n)

    def lm(self, T):
        return [1] + self.window(self.code if self.rng.random() < 0.5 else self.text, T - 1), None

    def random_repeat(self, T):
        L = self.rng.randint(8, T // 2 - 1)
        span = [self.rng.randrange(SPECIAL, self.sp.vocab_size()) for _ in range(L)]
        seq = [1] + span + span
        seq = (seq + span * (T // L + 1))[:T]
        weights = [0.0] * (1 + L) + [1.0] * (T - 1 - L)
        return seq, weights

    def text_repeat(self, T):
        L = self.rng.randint(16, T // 3)
        span = self.filler(L)
        gap = self.filler(self.rng.randint(0, T - 2 * L - 1))
        seq = ([1] + span + gap + span)[:T]
        seq += self.filler(T - len(seq))
        weights = [1.0] * len(seq)
        return seq, weights

    def passkey_parts(self, digits=5):
        key = "".join(self.rng.choice("0123456789") for _ in range(digits))
        needle = self.sp.encode(f" The pass key is {key}. Remember it. {key} is the pass key. ")
        question = self.sp.encode(" What is the pass key? The pass key is")
        answer = self.sp.encode(f" {key}.")
        return key, needle, question, answer

    def passkey(self, T, depth=None):
        key, needle, question, answer = self.passkey_parts()
        room = T - 1 - len(needle) - len(question) - len(answer)
        before = int(room * (self.rng.random() if depth is None else depth))
        seq = [1] + self.filler(before) + needle + self.filler(room - before) + question + answer
        weights = [1.0] * (len(seq) - len(answer)) + [4.0] * len(answer)
        return seq[:T], weights[:T]

    def passkey_gem(self, T):
        """A pass-key sequence cut right after the question (GemFilter's last token), with the
        positions of the key's tokens in the needle: the targets of the early-layer score loss."""
        key, needle, question, _ = self.passkey_parts()
        room = T - 1 - len(needle) - len(question)
        before = int(room * self.rng.random())
        prefix = [1] + self.filler(before)
        seq = prefix + needle + self.filler(room - before) + question
        key_ids = self.sp.encode(key)
        targets = [len(prefix) + i for i in range(len(needle) - len(key_ids) + 1) if needle[i:i + len(key_ids)] == key_ids
                   for i in range(i, i + len(key_ids))]
        return seq, sorted(set(targets))

    def key_values(self, T):
        pairs, lines = {}, []
        while True:
            k = f"{self.rng.choice(self.words)}-{self.rng.randrange(100, 999)}"
            v = str(self.rng.randrange(1000, 99999))
            line = self.sp.encode(f"{k}: {v}\n")
            if sum(map(len, lines)) + len(line) > T - 24:
                break
            pairs[k] = v
            lines.append(line)
        k = self.rng.choice(list(pairs))
        query = self.sp.encode(f"The value of {k} is")
        answer = self.sp.encode(f" {pairs[k]}.")
        body = [t for line in lines for t in line]
        seq = ([1] + body + query + answer)[:T]
        weights = [1.0] * (len(seq) - len(answer)) + [4.0] * len(answer)
        return seq, weights[:len(seq)]


def batch(samples, T):
    x = torch.zeros(len(samples), T, dtype=torch.int64)
    w = torch.zeros(len(samples), T)
    for i, (seq, weights) in enumerate(samples):
        seq = seq[:T]
        x[i, :len(seq)] = torch.tensor(seq)
        if weights is None:
            weights = [1.0] * len(seq)
        w[i, :len(seq) - 1] = torch.tensor(weights[1:len(seq)])  # weight of predicting token t+1
    return x, w


def loss_of(model, x, w):
    logits = model(x)
    nll = F.cross_entropy(logits[:, :-1].reshape(-1, logits.shape[-1]), x[:, 1:].reshape(-1), reduction="none")
    w = w[:, :-1].reshape(-1)
    return (nll * w).sum() / w.sum().clamp(min=1)


@torch.no_grad()
def greedy_passkey(model, tasks, T, depth, trials):
    """Pass-key accuracy by greedy decoding of the key's digits."""
    correct = 0
    for _ in range(trials):
        key, needle, question, _ = tasks.passkey_parts()
        room = T - 1 - len(needle) - len(question) - 8
        before = int(room * depth)
        seq = [1] + tasks.filler(before) + needle + tasks.filler(room - before) + question
        ids = torch.tensor([seq])
        out = []
        for _ in range(len(key) + 2):
            nxt = int(model(ids)[0, -1].argmax())
            out.append(nxt)
            ids = torch.cat([ids, torch.tensor([[nxt]])], dim=1)
        correct += key in tasks.sp.decode(out).replace(" ", "")
    return correct / trials


@torch.no_grad()
def gem_top64(model, tasks, r, T, trials):
    """Share of trials whose every key token is in the top 64 of the smoothed layer-r scores."""
    found = 0
    for _ in range(trials):
        seq, targets = tasks.passkey_gem(T)
        x = torch.tensor([seq])
        scores = model.gem_scores(x, torch.arange(len(seq)).unsqueeze(0), torch.ones_like(x), r)
        smooth = F.conv1d(scores.unsqueeze(1), torch.ones(1, 1, 5) / 5, padding=2).squeeze(1)[0]
        top = set(smooth.topk(64).indices.tolist())
        key_len = len(targets) // 2
        found += all(p in top for p in targets[:key_len]) or all(p in top for p in targets[key_len:])
    return found / trials


def load_onnx_weights(path):
    """The weights of an exported model.onnx as a checkpoint, so training can go on from the
    committed model (the manifest has its steps, tokens and seconds)."""
    import onnx
    from onnx import numpy_helper
    graph = onnx.load(path)
    weights = {t.name[2:]: torch.from_numpy(numpy_helper.to_array(t).copy())
               for t in graph.graph.initializer if t.name.startswith("m.")}
    manifest = json.load(open(os.path.join(os.path.dirname(os.path.abspath(path)), "..", "manifest.json")))
    training = manifest["tiny-decoder"]["training"]
    return {"model": weights, "step": training["steps"], "tokens": training["tokens"], "stage": 1, "seconds": training["seconds"],
            "longest": training["longest_context_trained"]}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default="tiny-decoder")
    ap.add_argument("--minutes", type=float, default=60)
    ap.add_argument("--stage0-max-steps", type=int, default=1400)
    ap.add_argument("--stage0-loss", type=float, default=2.5, help="leave stage 0 when the repeated-half loss is below this")
    ap.add_argument("--resume", help="continue from this checkpoint, or from an exported model.onnx (weights only; the optimizer restarts with a warm-up)")
    ap.add_argument("--steps", type=int, default=0, help="train exactly this many steps (reproducible) instead of for --minutes")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--schedule", default="128:32,256:16,512:8",
                    help="stage 1 lengths:batch sizes, taken in turn as time passes (a long-context run: 1024:4,2048:2)")
    ap.add_argument("--eval-every", type=int, default=500)
    ap.add_argument("--gem-loss", type=float, default=0.0,
                    help="weight of an auxiliary loss that teaches layer --gem-layer's last-token scores to point at the pass key")
    ap.add_argument("--gem-layer", type=int, default=1)
    ap.add_argument("--lr", type=float, default=2e-3, help="peak learning rate")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    random.seed(SEED)
    np.random.seed(SEED)
    torch.manual_seed(SEED)
    os.makedirs(args.out, exist_ok=True)
    work = os.path.join(args.out, "work")
    os.makedirs(work, exist_ok=True)
    log = open(os.path.join(work, "train.log"), "a", buffering=1)

    def say(msg):
        print(msg, flush=True)
        log.write(msg + "\n")

    sp = train_tokenizer(args.out, 4096)
    text, code = encode_split(sp, "text", "train"), encode_split(sp, "code", "train")
    say(f"corpus tokens: text {len(text)}, code {len(code)}")
    tasks = Tasks(sp, text, code, random.Random(SEED))
    config = tinylm.Config(vocab=sp.vocab_size())
    model = tinylm.TinyLM(config)
    opt = torch.optim.AdamW(model.parameters(), lr=2e-3, betas=(0.9, 0.95), weight_decay=0.01)
    started = time.time()
    deadline = started + args.minutes * 60
    step, stage, tokens, first_step, earlier_seconds, previous_longest = 0, 0, 0, 0, 0.0, 0
    if args.resume:
        state = load_onnx_weights(args.resume) if args.resume.endswith(".onnx") else torch.load(args.resume)
        model.load_state_dict(state["model"])
        step = first_step = state["step"]
        tokens = state.get("tokens", step * 32 * 128)
        stage = state.get("stage", 0)
        earlier_seconds = state.get("seconds", 0.0)
        previous_longest = state.get("longest", 0)
        say(f"resumed from {args.resume} at step {step}, stage {stage}")
    schedule = [tuple(int(v) for v in part.split(":")) for part in args.schedule.split(",")]  # stage 1 lengths grow with time
    def progress():
        return (step - first_step) / args.steps if args.steps else (time.time() - started) / (deadline - started)

    while progress() < 1:
        frac = progress()
        warm = min(1.0, (step - first_step + 1) / 100)
        lr = args.lr * warm * (0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * frac))) if stage == 1 else args.lr * warm
        for g in opt.param_groups:
            g["lr"] = lr
        if stage == 0:
            T, B = 128, 32
            samples = [tasks.random_repeat(T) for _ in range(B)]
        else:
            T, B = schedule[min(len(schedule) - 1, int(frac * len(schedule)))]
            samples = []
            for _ in range(B):
                # Random repeats stay in the mix so the induction heads keep being trained.
                u = tasks.rng.random()
                samples.append(tasks.lm(T) if u < 0.3 else tasks.random_repeat(T) if u < 0.45
                               else tasks.text_repeat(T) if u < 0.55 else tasks.passkey(T) if u < 0.85
                               else tasks.key_values(T))
        x, w = batch(samples, T)
        loss = loss_of(model, x, w)
        if args.gem_loss > 0 and stage == 1:
            # The GemFilter premise, trained directly: the question's last token, at an early layer,
            # scores the key's positions above the rest (a retrieval head, as large models grow).
            seq, targets = tasks.passkey_gem(T)
            g = torch.tensor([seq])
            scores = model.gem_scores(g, torch.arange(len(seq)).unsqueeze(0), torch.ones_like(g), args.gem_layer)[0] / 8.0
            # Every key token must score high (the cross-entropy of each target, averaged), not just
            # one: GemFilter keeps positions, and the whole key has to survive.
            loss = loss + args.gem_loss * (torch.logsumexp(scores, 0) - scores[targets].mean())
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        step += 1
        tokens += B * T
        if step % 50 == 0:
            say(f"step {step} stage {stage} T {T} loss {loss.item():.3f} lr {lr:.2e} tokens {tokens} elapsed {time.time() - started:.0f}s")
        if stage == 0 and step % 50 == 0 and (loss.item() < args.stage0_loss or step >= args.stage0_max_steps):
            say(f"stage 0 done at step {step}: repeated-half loss {loss.item():.3f}")
            stage = 1
        if step % args.eval_every == 0:
            model.eval()
            say(f"eval step {step}: passkey@{T} {greedy_passkey(model, tasks, T, 0.5, 10):.2f}"
                + (f", gem top-64 layer {args.gem_layer} {gem_top64(model, tasks, args.gem_layer, T, 10):.2f}" if args.gem_loss > 0 else ""))
            model.train()
            torch.save({"model": model.state_dict(), "step": step, "tokens": tokens, "stage": stage,
                        "seconds": earlier_seconds + time.time() - started, "longest": max(max(t for t, _ in schedule), previous_longest)}, os.path.join(work, "checkpoint.pt"))
    torch.save({"model": model.state_dict(), "step": step, "tokens": tokens, "stage": stage,
                        "seconds": earlier_seconds + time.time() - started, "longest": max(max(t for t, _ in schedule), previous_longest)}, os.path.join(work, "checkpoint.pt"))
    json.dump({"steps": step, "tokens": tokens, "seconds": round(earlier_seconds + time.time() - started), "final_loss": round(loss.item(), 4),
               "longest_context_trained": max(max(t for t, _ in schedule), previous_longest)}, open(os.path.join(work, "training.json"), "w"))
    say(f"done: {step} steps, {tokens} tokens")


if __name__ == "__main__":
    main()
