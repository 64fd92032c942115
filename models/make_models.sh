#!/usr/bin/env bash
# Makes the fixture models from scratch: tokenizer, tiny-decoder, tiny-embedder, ONNX export,
# measurements, config.json files and manifest.json. About 3 hours on a 2-core machine.
# CI never runs this: the exported models are committed. See README.md in this folder.
#
#   bash models/make_models.sh                     # time budgets as for the committed models
#   DECODER_STEPS=1750 EMBEDDER_STEPS=900 bash models/make_models.sh   # a fixed number of steps (reproducible)
set -euo pipefail
cd "$(dirname "$0")"

if ! /usr/bin/python3 -c "import torch, onnx, sentencepiece" 2>/dev/null || [ ! -d /usr/share/doc/python3.11/html/_sources ]; then
  apt-get update -qq
  # libopenblas0-pthread: Debian's torch otherwise uses the reference BLAS, about 20x slower.
  apt-get install -y -qq python3-torch python3-onnx python3-sentencepiece libopenblas0-pthread python3.11-doc
fi

# Debian's interpreter, which has Debian's torch (a pyenv or venv python3 earlier on PATH does not).
PY=/usr/bin/python3
decoder_budget=(--minutes "${DECODER_MINUTES:-95}")
[ -n "${DECODER_STEPS:-}" ] && decoder_budget=(--steps "$DECODER_STEPS")
long_budget=(--minutes "${DECODER_LONG_MINUTES:-50}")
[ -n "${DECODER_LONG_STEPS:-}" ] && long_budget=(--steps "$DECODER_LONG_STEPS")
embedder_budget=(--minutes "${EMBEDDER_MINUTES:-10}")
[ -n "${EMBEDDER_STEPS:-}" ] && embedder_budget=(--steps "$EMBEDDER_STEPS")

rm -rf tiny-decoder/work tiny-embedder/work
$PY scripts/train_decoder.py --out tiny-decoder "${decoder_budget[@]}"
# Long-context stage: the same mix at 1k then 2k tokens, so copying and the early-layer scores hold
# beyond the 512 tokens of stage 1 (RoPE models do not extrapolate much past what they saw).
cp tiny-decoder/work/checkpoint.pt tiny-decoder/work/checkpoint-short.pt
$PY scripts/train_decoder.py --out tiny-decoder --resume tiny-decoder/work/checkpoint-short.pt --schedule 1024:4,2048:2 --lr 1e-3 \
  --eval-every 100 "${long_budget[@]}"
$PY scripts/train_embedder.py --out tiny-embedder --tokenizer tiny-decoder/tokenizer.model "${embedder_budget[@]}"
$PY scripts/export_models.py --decoder tiny-decoder --embedder tiny-embedder
