"""Trains tiny-embedder: a small bidirectional encoder in the BERT layout (input_ids,
attention_mask -> last_hidden_state), mean pooled and L2-normalised, trained contrastively
(in-batch negatives, symmetric InfoNCE) on real pairs: a Python docstring and its function's code,
a documentation heading and its section. Held-out pairs come from held-out files."""
import argparse
import ast
import json
import math
import os
import random
import re
import time

import sentencepiece as spm
import torch
import torch.nn as nn
import torch.nn.functional as F

import corpus

SEED = 4321
MAX_QUERY, MAX_DOC = 32, 128


class Encoder(nn.Module):
    def __init__(self, vocab, width=128, layers=3, heads=4, mlp=512, max_positions=512):
        super().__init__()
        self.embed = nn.Embedding(vocab, width)
        self.positions = nn.Embedding(max_positions, width)
        self.norm = nn.LayerNorm(width)
        layer = nn.TransformerEncoderLayer(width, heads, mlp, dropout=0.0, activation="gelu", batch_first=True, norm_first=True)
        self.layers = nn.ModuleList([nn.TransformerEncoderLayer(width, heads, mlp, dropout=0.0, activation="gelu",
                                                                batch_first=True, norm_first=True) for _ in range(layers)])
        self.heads = heads
        self.final = nn.LayerNorm(width)
        del layer

    def forward(self, input_ids, attention_mask):
        b, s = input_ids.shape
        x = self.norm(self.embed(input_ids) + self.positions(torch.arange(s).unsqueeze(0).expand(b, s)))
        # Additive float mask (not a bool key-padding mask): exports cleanly and keeps ONNX free of nested tensors.
        bias = (1.0 - attention_mask.to(torch.float32))[:, None, None, :] * -1e9
        bias = bias.expand(b, self.heads, s, s).reshape(b * self.heads, s, s)
        for layer in self.layers:
            x = layer(x, src_mask=bias)
        return self.final(x)


def pool(hidden, mask):
    m = mask.unsqueeze(-1).to(hidden.dtype)
    return F.normalize((hidden * m).sum(1) / m.sum(1).clamp(min=1), dim=-1)


def code_pairs(split):
    pairs = []
    for path, source in corpus.load("code", split):
        try:
            tree = ast.parse(source)
        except SyntaxError:
            continue
        for node in ast.walk(tree):
            if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            doc = ast.get_docstring(node)
            segment = ast.get_source_segment(source, node)
            if not doc or not segment or len(doc) < 30 or node.name.startswith("__"):
                continue
            query = doc.strip().split("\n\n")[0].replace("\n", " ")
            body = segment.replace(node.body[0].value.value if isinstance(node.body[0], ast.Expr) else "", "")
            body = re.sub(r'\n\s*(""""""|\'\'\'\'\'\'|""|\'\')\s*\n', "\n", body)
            pairs.append((query, body))
    return pairs


def text_pairs(split):
    pairs = []
    for path, text in corpus.load("text", split):
        lines = text.split("\n")
        for i in range(1, len(lines) - 2):
            underline = lines[i]
            title = lines[i - 1].strip()
            if len(title) < 8 or not re.fullmatch(r"([=\-~^*])\1{3,}", underline.strip()):
                continue
            body = []
            for line in lines[i + 1:]:
                if len(body) > 1 and re.fullmatch(r"([=\-~^*])\1{3,}", line.strip()):
                    body = body[:-1]
                    break
                body.append(line)
            section = " ".join(" ".join(body).split())
            if len(section) > 200:
                pairs.append((title, section[:1200]))
    return pairs


def encode(sp, texts, limit):
    ids = [[1] + sp.encode(t)[: limit - 1] for t in texts]
    s = max(map(len, ids))
    x = torch.zeros(len(ids), s, dtype=torch.int64)
    mask = torch.zeros(len(ids), s, dtype=torch.int64)
    for i, row in enumerate(ids):
        x[i, : len(row)] = torch.tensor(row)
        mask[i, : len(row)] = 1
    return x, mask


@torch.no_grad()
def embed(model, sp, texts, limit, batch=128):
    out = []
    for i in range(0, len(texts), batch):
        x, m = encode(sp, texts[i:i + batch], limit)
        out.append(pool(model(x, m), m))
    return torch.cat(out)


def bm25_recall(pairs, k=10):
    def words(t):
        return re.findall(r"[a-z0-9]+", t.lower())
    docs = [words(d) for _, d in pairs]
    n, avg = len(docs), sum(map(len, docs)) / len(docs)
    df = {}
    for d in docs:
        for w in set(d):
            df[w] = df.get(w, 0) + 1
    tfs = [{} for _ in docs]
    for tf, d in zip(tfs, docs):
        for w in d:
            tf[w] = tf.get(w, 0) + 1
    hits = 0
    for i, (q, _) in enumerate(pairs):
        scores = []
        for j, tf in enumerate(tfs):
            s = 0.0
            for w in set(words(q)):
                if w in tf:
                    idf = math.log(1 + (n - df[w] + 0.5) / (df[w] + 0.5))
                    s += idf * tf[w] * 2.2 / (tf[w] + 1.2 * (0.25 + 0.75 * len(docs[j]) / avg))
            scores.append(s)
        top = sorted(range(n), key=lambda j: -scores[j])[:k]
        hits += i in top
    return hits / n


def recall(model, sp, pairs, k=10):
    q = embed(model, sp, [p[0] for p in pairs], MAX_QUERY)
    d = embed(model, sp, [p[1] for p in pairs], MAX_DOC)
    top = (q @ d.T).topk(k, dim=1).indices
    return (top == torch.arange(len(pairs)).unsqueeze(1)).any(1).float().mean().item()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default="tiny-embedder")
    ap.add_argument("--tokenizer", default="tiny-decoder/tokenizer.model")
    ap.add_argument("--minutes", type=float, default=12)
    ap.add_argument("--steps", type=int, default=0, help="train exactly this many steps (reproducible) instead of for --minutes")
    ap.add_argument("--threads", type=int, default=1)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    random.seed(SEED)
    torch.manual_seed(SEED)
    os.makedirs(os.path.join(args.out, "work"), exist_ok=True)
    sp = spm.SentencePieceProcessor(model_file=args.tokenizer)
    train = code_pairs("train") + text_pairs("train")
    held = code_pairs("heldout") + text_pairs("heldout")
    rng = random.Random(SEED)
    rng.shuffle(held)
    held = held[:1000]
    print(f"pairs: train {len(train)}, held-out {len(held)}", flush=True)
    model = Encoder(sp.vocab_size())
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=0.01)
    scale = nn.Parameter(torch.tensor(math.log(20.0)))
    opt.add_param_group({"params": [scale], "lr": 1e-2})
    started, step = time.time(), 0
    deadline = started + args.minutes * 60
    def progress():
        return step / args.steps if args.steps else (time.time() - started) / (deadline - started)

    while progress() < 1:
        frac = progress()
        for g in opt.param_groups[:1]:
            g["lr"] = 1e-3 * min(1, (step + 1) / 100) * (0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * frac)))
        items = rng.sample(train, 64)
        qx, qm = encode(sp, [p[0] for p in items], MAX_QUERY)
        dx, dm = encode(sp, [p[1] for p in items], MAX_DOC)
        logits = pool(model(qx, qm), qm) @ pool(model(dx, dm), dm).T * scale.exp().clamp(max=100)
        labels = torch.arange(len(items))
        loss = (F.cross_entropy(logits, labels) + F.cross_entropy(logits.T, labels)) / 2
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        step += 1
        if step % 100 == 0:
            print(f"step {step} loss {loss.item():.3f} elapsed {time.time() - started:.0f}s", flush=True)
    model.eval()
    figures = {"steps": step, "seconds": round(time.time() - started), "final_loss": round(loss.item(), 4),
               "train_pairs": len(train), "heldout_pairs": len(held),
               "recall_at_10": round(recall(model, sp, held), 4), "bm25_recall_at_10": round(bm25_recall(held), 4)}
    print(json.dumps(figures), flush=True)
    torch.save(model.state_dict(), os.path.join(args.out, "work", "model.pt"))
    json.dump(figures, open(os.path.join(args.out, "work", "training.json"), "w"))


if __name__ == "__main__":
    main()
