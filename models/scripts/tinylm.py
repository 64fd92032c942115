"""The tiny decoder: a pre-norm transformer with rotary positions, written for torch 1.13
(attention by hand), exportable to ONNX in the Hugging Face Optimum decoder layout."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


class Config:
    def __init__(self, vocab=4096, width=256, layers=4, heads=4, mlp=1024, max_positions=8192, rope_theta=10000.0):
        self.vocab, self.width, self.layers, self.heads, self.mlp = vocab, width, layers, heads, mlp
        self.head_dim = width // heads
        self.max_positions, self.rope_theta = max_positions, rope_theta


class RMSNorm(nn.Module):
    def __init__(self, width, eps=1e-5):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(width))
        self.eps = eps

    def forward(self, x):
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps) * self.weight


def rope(x, positions, theta):
    """x: [b, h, s, d]; positions: [b, s] (int64). Rotates pairs (i, i + d/2)."""
    d = x.shape[-1]
    inv = 1.0 / (theta ** (torch.arange(0, d, 2, dtype=torch.float32) / d))
    angles = positions.to(torch.float32).unsqueeze(-1) * inv  # [b, s, d/2]
    cos = torch.cos(angles).unsqueeze(1)
    sin = torch.sin(angles).unsqueeze(1)
    x1, x2 = x[..., : d // 2], x[..., d // 2:]
    return torch.cat([x1 * cos - x2 * sin, x1 * sin + x2 * cos], dim=-1)


class Block(nn.Module):
    def __init__(self, c: Config):
        super().__init__()
        self.c = c
        self.norm1 = RMSNorm(c.width)
        self.qkv = nn.Linear(c.width, 3 * c.width, bias=False)
        self.out = nn.Linear(c.width, c.width, bias=False)
        self.norm2 = RMSNorm(c.width)
        self.up = nn.Linear(c.width, 2 * c.mlp, bias=False)
        self.down = nn.Linear(c.mlp, c.width, bias=False)

    def qk(self, x, positions, past_k=None):
        """Queries and keys after RoPE (and values), each [b, h, s, d]."""
        b, s, _ = x.shape
        q, k, v = self.qkv(self.norm1(x)).split(self.c.width, dim=-1)
        shape = (b, s, self.c.heads, self.c.head_dim)
        q = q.reshape(shape).transpose(1, 2)
        k = k.reshape(shape).transpose(1, 2)
        v = v.reshape(shape).transpose(1, 2)
        return rope(q, positions, self.c.rope_theta), rope(k, positions, self.c.rope_theta), v

    def forward(self, x, positions, bias, past_k=None, past_v=None):
        """bias: additive attention bias [b, 1, s, past + s]."""
        q, k, v = self.qk(x, positions)
        if past_k is not None:
            k = torch.cat([past_k, k], dim=2)
            v = torch.cat([past_v, v], dim=2)
        scores = torch.matmul(q, k.transpose(-1, -2)) / math.sqrt(self.c.head_dim) + bias
        attn = torch.matmul(torch.softmax(scores, dim=-1), v)
        b, h, s, d = attn.shape
        x = x + self.out(attn.transpose(1, 2).reshape(b, s, h * d))
        gate, up = self.up(self.norm2(x)).split(self.c.mlp, dim=-1)
        x = x + self.down(F.silu(gate) * up)
        return x, k, v


class TinyLM(nn.Module):
    def __init__(self, c: Config):
        super().__init__()
        self.c = c
        self.embed = nn.Embedding(c.vocab, c.width)
        self.blocks = nn.ModuleList([Block(c) for _ in range(c.layers)])
        self.norm = RMSNorm(c.width)
        nn.init.normal_(self.embed.weight, std=0.02)
        for block in self.blocks:
            for lin in (block.qkv, block.up):
                nn.init.normal_(lin.weight, std=0.02)
            for lin in (block.out, block.down):
                nn.init.normal_(lin.weight, std=0.02 / math.sqrt(2 * c.layers))

    @staticmethod
    def attention_bias(attention_mask, s, past):
        """Causal + padding bias [b, 1, s, past + s] from attention_mask [b, past + s] (1 = attend)."""
        total = past + s
        query_pos = torch.arange(s).unsqueeze(1) + past
        key_pos = torch.arange(total).unsqueeze(0)
        causal = key_pos <= query_pos  # [s, total]
        allowed = causal.unsqueeze(0) & (attention_mask.unsqueeze(1) > 0)  # [b, s, total]
        return torch.where(allowed, torch.zeros((), dtype=torch.float32), torch.full((), -1e9)).unsqueeze(1)

    def forward(self, input_ids, positions=None, attention_mask=None):
        b, s = input_ids.shape
        if positions is None:
            positions = torch.arange(s).unsqueeze(0).expand(b, s)
        if attention_mask is None:
            attention_mask = torch.ones(b, s, dtype=torch.int64)
        bias = self.attention_bias(attention_mask, s, 0)
        x = self.embed(input_ids)
        for block in self.blocks:
            x, _, _ = block(x, positions, bias)
        return F.linear(self.norm(x), self.embed.weight)

    def gem_scores(self, input_ids, positions, attention_mask, r):
        """GemFilter: run layers 0..r-1 fully, then at layer r score every position by the last
        query's dot product with its key (after RoPE), summed over heads: [b, n]."""
        b, s = input_ids.shape
        bias = self.attention_bias(attention_mask, s, 0)
        x = self.embed(input_ids)
        for block in self.blocks[:r]:
            x, _, _ = block(x, positions, bias)
        q, k, _ = self.blocks[r].qk(x, positions)
        last_q = q[:, :, -1:, :]  # [b, h, 1, d]
        scores = torch.matmul(last_q, k.transpose(-1, -2)).squeeze(2).sum(dim=1)  # [b, n]
        return scores * attention_mask.to(scores.dtype)


class DecoderExport(nn.Module):
    """Optimum layout: input_ids, attention_mask, position_ids, past_key_values.N.key/value ->
    logits, present.N.key/value, and token_nll[b, t] = -log p(input_ids[b, t + 1] | ..t) (0 at the
    last position, whose next token is not in the input)."""

    def __init__(self, model: TinyLM):
        super().__init__()
        self.m = model

    def forward(self, input_ids, attention_mask, position_ids, *past):
        b, s = input_ids.shape
        past_len = past[0].shape[2]
        bias = TinyLM.attention_bias(attention_mask, s, past_len)
        x = self.m.embed(input_ids)
        presents = []
        for i, block in enumerate(self.m.blocks):
            x, k, v = block(x, position_ids, bias, past[2 * i], past[2 * i + 1])
            presents += [k, v]
        logits = F.linear(self.m.norm(x), self.m.embed.weight)
        logp = torch.log_softmax(logits, dim=-1)
        next_ids = torch.cat([input_ids[:, 1:], input_ids[:, :1]], dim=1)
        nll = -torch.gather(logp, 2, next_ids.unsqueeze(-1)).squeeze(-1)
        keep = torch.cat([torch.ones(b, s - 1), torch.zeros(b, 1)], dim=1)
        return (logits, nll * keep, *presents)


class GemFilterExport(nn.Module):
    def __init__(self, model: TinyLM, r: int):
        super().__init__()
        self.m, self.r = model, r

    def forward(self, input_ids, attention_mask, position_ids):
        return self.m.gem_scores(input_ids, position_ids, attention_mask, self.r)
