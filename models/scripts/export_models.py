"""Exports the trained fixture models to ONNX, measures them, and writes config.json files and
models/manifest.json. Run by make_models.sh after training; see models/README.md."""
import argparse
import hashlib
import json
import math
import os
import random
import time

import onnx
from onnx import external_data_helper
import sentencepiece as spm
import torch
import torch.nn.functional as F

import corpus
import tinylm
import train_decoder
import train_embedder

SEED = 99
WEIGHTS = "model.onnx.data"
OPSET = 17


def export_decoder(model, config, out):
    model.eval()
    wrapper = tinylm.DecoderExport(model)
    b, s, past = 1, 3, 2
    past_tensors = []
    input_names = ["input_ids", "attention_mask", "position_ids"]
    output_names = ["logits", "token_nll"]
    axes = {"input_ids": {0: "batch", 1: "sequence"}, "attention_mask": {0: "batch", 1: "total_sequence"},
            "position_ids": {0: "batch", 1: "sequence"}, "logits": {0: "batch", 1: "sequence"},
            "token_nll": {0: "batch", 1: "sequence"}}
    for i in range(config.layers):
        for kind in ("key", "value"):
            past_tensors.append(torch.zeros(b, config.heads, past, config.head_dim))
            name, present = f"past_key_values.{i}.{kind}", f"present.{i}.{kind}"
            input_names.append(name)
            output_names.append(present)
            axes[name] = {0: "batch", 2: "past_sequence"}
            axes[present] = {0: "batch", 2: "total_sequence"}
    args = (torch.randint(3, config.vocab, (b, s)), torch.ones(b, past + s, dtype=torch.int64),
            torch.arange(past, past + s).unsqueeze(0), *past_tensors)
    # No constant folding: it would store the tied embedding twice (once transposed for the head).
    temp = os.path.join(out, "work", "model.tmp.onnx")
    torch.onnx.export(wrapper, args, temp, input_names=input_names, output_names=output_names,
                      dynamic_axes=axes, opset_version=OPSET, do_constant_folding=False)
    graph = onnx.load(temp)
    for name in ("model.onnx", WEIGHTS):
        if os.path.exists(os.path.join(out, name)):
            os.remove(os.path.join(out, name))
    onnx.save_model(graph, os.path.join(out, "model.onnx"), save_as_external_data=True, all_tensors_to_one_file=True,
                    location=WEIGHTS, size_threshold=1024)
    os.remove(temp)


def export_filter(model, r, out):
    wrapper = tinylm.GemFilterExport(model, r)
    args = (torch.randint(3, model.c.vocab, (1, 8)), torch.ones(1, 8, dtype=torch.int64), torch.arange(8).unsqueeze(0))
    temp = os.path.join(out, "work", "gem_filter.tmp.onnx")
    torch.onnx.export(wrapper, args, temp,
                      input_names=["input_ids", "attention_mask", "position_ids"], output_names=["gem_scores"],
                      dynamic_axes={"input_ids": {0: "batch", 1: "sequence"}, "attention_mask": {0: "batch", 1: "sequence"},
                                    "position_ids": {0: "batch", 1: "sequence"}, "gem_scores": {0: "batch", 1: "sequence"}},
                      opset_version=OPSET, do_constant_folding=False)
    # The filter graph is the decoder's first layers: point its weights at the decoder's weight
    # file instead of storing them a second time.
    shared = {t.name: {e.key: e.value for e in t.external_data}
              for t in onnx.load(os.path.join(out, "model.onnx"), load_external_data=False).graph.initializer
              if t.data_location == onnx.TensorProto.EXTERNAL}
    graph = onnx.load(temp)
    for tensor in graph.graph.initializer:
        if tensor.name in shared:
            info = shared[tensor.name]
            external_data_helper.set_external_data(tensor, info["location"], int(info.get("offset", 0)), int(info["length"]))
            tensor.data_location = onnx.TensorProto.EXTERNAL
            tensor.ClearField("raw_data")
    onnx.save_model(graph, os.path.join(out, "gem_filter.onnx"))
    os.remove(temp)


def export_embedder(model, out):
    model.eval()
    args = (torch.randint(3, 4096, (2, 7)), torch.ones(2, 7, dtype=torch.int64))
    torch.onnx.export(model, args, os.path.join(out, "model.onnx"), input_names=["input_ids", "attention_mask"],
                      output_names=["last_hidden_state"],
                      dynamic_axes={"input_ids": {0: "batch", 1: "sequence"}, "attention_mask": {0: "batch", 1: "sequence"},
                                    "last_hidden_state": {0: "batch", 1: "sequence"}},
                      opset_version=OPSET, do_constant_folding=True)


@torch.no_grad()
def perplexity(model, sp, kind, T=512, windows=40):
    ids = train_decoder.encode_split(sp, kind, "heldout")
    rng = random.Random(SEED)
    total, count = 0.0, 0
    for _ in range(windows):
        start = rng.randrange(0, len(ids) - T - 1)
        x = torch.tensor([[1] + ids[start:start + T - 1].tolist()])
        logits = model(x)
        nll = F.cross_entropy(logits[0, :-1], x[0, 1:], reduction="sum")
        total, count = total + nll.item(), count + T - 1
    return math.exp(total / count)


def smooth(scores, width=5):
    kernel = torch.ones(1, 1, width) / width
    return F.conv1d(scores.unsqueeze(1), kernel, padding=width // 2).squeeze(1)


@torch.no_grad()
def gem_trials(model, tasks, r, T, trials):
    """For pass keys at evenly spread depths of T-token filler: the smoothed layer-r scores of the
    last token, and the positions of the key's digits."""
    for t in range(trials):
        key, needle, question, _ = tasks.passkey_parts()
        room = T - 1 - len(needle) - len(question)
        before = int(room * (t + 0.5) / trials)
        prefix = [1] + tasks.filler(before)
        seq = prefix + needle + tasks.filler(room - before) + question
        start = len(prefix) + len(tasks.sp.encode(f" The pass key is {key}")) - len(key)
        x = torch.tensor([seq])
        scores = smooth(model.gem_scores(x, torch.arange(len(seq)).unsqueeze(0), torch.ones_like(x), r))[0]
        yield scores, range(start, start + len(key))


def gem_needle(model, tasks, r, T, trials=20, k=64):
    """Share of trials where every token of the pass key is among the top-k positions of the
    smoothed layer-r scores of the last token."""
    found = 0
    for scores, key in gem_trials(model, tasks, r, T, trials):
        top = set(scores.topk(k).indices.tolist())
        found += all(p in top for p in key)
    return found / trials


def gem_key_rank(model, tasks, r, T, trials=20):
    """Median over trials of the best rank (0 = top) of a pass-key token in the smoothed layer-r scores."""
    best = []
    for scores, key in gem_trials(model, tasks, r, T, trials):
        rank = {p: i for i, p in enumerate(scores.argsort(descending=True).tolist())}
        best.append(min(rank[p] for p in key))
    best.sort()
    return best[len(best) // 2]


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--decoder", default="tiny-decoder")
    ap.add_argument("--embedder", default="tiny-embedder")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--trials", type=int, default=20)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(SEED)
    sp = spm.SentencePieceProcessor(model_file=os.path.join(args.decoder, "tokenizer.model"))
    checkpoint = torch.load(os.path.join(args.decoder, "work", "checkpoint.pt"))
    training = json.load(open(os.path.join(args.decoder, "work", "training.json")))
    config = tinylm.Config(vocab=sp.vocab_size())
    model = tinylm.TinyLM(config)
    model.load_state_dict(checkpoint["model"])
    model.eval()

    heldout = train_decoder.encode_split(sp, "text", "heldout")
    tasks = train_decoder.Tasks(sp, heldout, train_decoder.encode_split(sp, "code", "heldout"), random.Random(SEED))
    started = time.time()
    figures = {
        "perplexity_text": round(perplexity(model, sp, "text"), 2),
        "perplexity_code": round(perplexity(model, sp, "code"), 2),
    }
    for T in (512, 1024, 2048):
        figures[f"passkey_accuracy_{T}"] = round(sum(train_decoder.greedy_passkey(model, tasks, T, d, max(1, args.trials // 5))
                                                     for d in (0.1, 0.3, 0.5, 0.7, 0.9)) / 5, 3)
    # r: among the early layers (not the last: the filter must be cheaper than the model), the one
    # whose smoothed scores rank the pass key highest at 2k tokens (median rank of its best token);
    # the top-64 rate alone cannot tell layers apart when it is 0 everywhere.
    by_layer = {r: gem_needle(model, tasks, r, 2048, args.trials) for r in range(config.layers)}
    ranks = {r: gem_key_rank(model, tasks, r, 2048, args.trials) for r in range(config.layers)}
    r = min(range(config.layers - 1), key=lambda l: (ranks[l], l))
    figures["gemfilter_layer"] = r
    figures["gem_needle_top64_2048_by_layer"] = {str(l): v for l, v in by_layer.items()}
    figures["gem_key_median_best_rank_2048_by_layer"] = {str(l): v for l, v in ranks.items()}
    figures["gem_needle_top64_1024"] = gem_needle(model, tasks, r, 1024, args.trials)
    figures["gem_needle_top64_2048"] = by_layer[r]
    figures["gem_needle_top64_4096"] = gem_needle(model, tasks, r, 4096, max(5, args.trials // 2))
    figures["evaluation_seconds"] = round(time.time() - started)

    # A fixed sentence whose mean token NLL the C# test checks against the exported model.
    probe = "The harbour master keeps the tide tables in the office by the pier."
    probe_ids = [1] + sp.encode(probe)
    logits = model(torch.tensor([probe_ids]))
    probe_nll = F.cross_entropy(logits[0, :-1], torch.tensor(probe_ids[1:])).item()

    export_decoder(model, config, args.decoder)
    export_filter(model, r, args.decoder)
    decoder_config = {
        "model_type": "tiny-decoder", "architectures": ["TinyLM"], "num_hidden_layers": config.layers,
        "num_attention_heads": config.heads, "num_key_value_heads": config.heads, "hidden_size": config.width,
        "head_dim": config.head_dim, "intermediate_size": config.mlp, "vocab_size": config.vocab,
        "bos_token_id": 1, "eos_token_id": 2, "unk_token_id": 0, "max_position_embeddings": config.max_positions,
        "rope_theta": config.rope_theta, "max_trained_context": training["longest_context_trained"],
        "tokenizer": "tokenizer.model", "token_nll": "token_nll[b, t] = -log p(input_ids[b, t + 1] | input_ids[b, ..t]); 0 at the last position",
        "gemfilter": {"graph": "gem_filter.onnx", "layer": r, "output": "gem_scores", "smoothing_window": 5},
        "probe": {"text": probe, "mean_nll": round(probe_nll, 5), "bos": True},
    }
    json.dump(decoder_config, open(os.path.join(args.decoder, "config.json"), "w"), indent=2)

    embedder_state = torch.load(os.path.join(args.embedder, "work", "model.pt"))
    embedder_training = json.load(open(os.path.join(args.embedder, "work", "training.json")))
    embedder = train_embedder.Encoder(sp.vocab_size())
    embedder.load_state_dict(embedder_state)
    embedder.eval()
    export_embedder(embedder, args.embedder)
    with open(os.path.join(args.decoder, "tokenizer.model"), "rb") as src, open(os.path.join(args.embedder, "tokenizer.model"), "wb") as dst:
        dst.write(src.read())
    probe_embedding = train_embedder.embed(embedder, sp, [probe], train_embedder.MAX_QUERY)[0]
    embedder_config = {
        "model_type": "tiny-embedder", "architectures": ["BertLikeEncoder"], "num_hidden_layers": len(embedder.layers),
        "num_attention_heads": embedder.heads, "hidden_size": embedder.embed.embedding_dim, "vocab_size": sp.vocab_size(),
        "max_position_embeddings": embedder.positions.num_embeddings, "bos_token_id": 1, "pooling": "mean", "normalize": True,
        "tokenizer": "tokenizer.model", "prepend_bos": True,
        "probe": {"text": probe, "embedding_first8": [round(v, 5) for v in probe_embedding[:8].tolist()]},
    }
    json.dump(embedder_config, open(os.path.join(args.embedder, "config.json"), "w"), indent=2)

    manifest = {"seed": train_decoder.SEED, "corpus": {
        "code": "Python 3.11 standard library sources (/usr/lib/python3.11, Debian libpython3.11-stdlib), tests excluded",
        "text": "Python 3.11 documentation sources (Debian python3.11-doc, html/_sources/*.rst.txt) and /usr/share/common-licenses",
        "synthetic": "repeated random strings (stage 0), repeated text spans, pass keys in filler text, key->value lists",
        "heldout": "files whose sha256(path) % 10 == 0"},
        "tiny-decoder": {"training": training, "figures": figures},
        "tiny-embedder": {"training": embedder_training},
        "files": {}}
    for folder in (args.decoder, args.embedder):
        for name in sorted(os.listdir(folder)):
            path = os.path.join(folder, name)
            if os.path.isfile(path):
                manifest["files"][f"{os.path.basename(folder)}/{name}"] = {"sha256": sha256(path), "bytes": os.path.getsize(path)}
    json.dump(manifest, open("manifest.json", "w"), indent=2)
    print(json.dumps(manifest, indent=2))


if __name__ == "__main__":
    main()
