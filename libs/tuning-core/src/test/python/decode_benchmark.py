#!/usr/bin/python3
"""DecodeBenchmark.java's measurement in PyTorch eager: what a decode step can cost on this machine.

The same models (random f32 Llamas with DecodeBenchmark's configs: "tiny" = hidden 64, 2 layers, 4 heads / 2 KV
heads, intermediate 176, vocabulary 320; "100m" = hidden 768, 12 layers, 12 heads, intermediate 2048, vocabulary
32000), the same generation (the prompt copied into every row, greedy, EOS off, every row runs to exactly --new
tokens, a KV cache), the same columns: prefill tok/s (prompt tokens / time of the (B, T) forward with the last
logits on the host), decode tok/s (tokens after the first / time of the (B, 1) steps, argmax and the host copy of
each step's tokens included), decode step ms, matmul-only ms (the step's matrix products alone, timed separately, as
DecodeBenchmark.matmulOnlyMs: seven projections per layer, the two grouped attention products at the mean cache
length, the LM head) and step / matmul. Median of --repeats generations per batch size, after one warm-up.

The model is written with plain eager ops the way transformers' LlamaModel is (RMSNorm, rotate_half rotary from
cos/sin tables built once, grouped-query attention, SwiGLU), with a KV cache preallocated per generation and written
in place (transformers' StaticCache; its default DynamicCache concatenates every step, which costs more). The
causal mask is added in the prefill only; decode steps of an unpadded batch need none (as transformers with SDPA).
Runs under torch.inference_mode().

  OMP_WAIT_POLICY=PASSIVE /usr/bin/python3 decode_benchmark.py --models tiny,100m --batches 1,4 --threads 2
Needs Debian's python3-torch with libopenblas0-openmp (see train_benchmark.py).
"""
import argparse
import math
import os
import time

import torch
import torch.nn.functional as F

TEXT = ("The quick brown fox jumps over the lazy dog. "
        "Fine-tuning adapts a pretrained model to a task with a small dataset. ")

# name -> (hidden, layers, heads, kv heads, intermediate, vocab, max positions), as DecodeBenchmark.spec
CONFIGS = {"tiny": (64, 2, 4, 2, 176, 320, 512), "100m": (768, 12, 12, 12, 2048, 32000, 2048)}
EPS, THETA, STD = 1e-5, 10000.0, 0.02


def rms_norm(x, w):
    return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + EPS) * w


def rotate_half(x):
    half = x.shape[-1] // 2
    return torch.cat((-x[..., half:], x[..., :half]), dim=-1)


class Llama:
    """Random weights (normal, std 0.02; norms 1), untied head, rotary tables (P, hd) built once."""

    def __init__(self, name):
        d, n_layers, heads, kv, inter, vocab, positions = CONFIGS[name]
        self.d, self.heads, self.kv, self.hd, self.vocab = d, heads, kv, d // heads, vocab
        self.embed = torch.randn(vocab, d) * STD
        self.layers = [dict(n1=torch.ones(d), q=torch.randn(heads * self.hd, d) * STD,
                            k=torch.randn(kv * self.hd, d) * STD, v=torch.randn(kv * self.hd, d) * STD,
                            o=torch.randn(d, heads * self.hd) * STD, n2=torch.ones(d),
                            gate=torch.randn(inter, d) * STD, up=torch.randn(inter, d) * STD,
                            down=torch.randn(d, inter) * STD) for _ in range(n_layers)]
        self.norm = torch.ones(d)
        self.head = torch.randn(vocab, d) * STD
        inv = THETA ** (-torch.arange(0, self.hd, 2).double() / self.hd)
        angles = torch.arange(positions).double()[:, None] * inv[None, :]
        angles = torch.cat((angles, angles), dim=-1)
        self.cos, self.sin = angles.cos().float(), angles.sin().float()

    def parameters(self):
        return (self.embed.numel() + self.norm.numel() + self.head.numel()
                + sum(t.numel() for layer in self.layers for t in layer.values()))

    def new_cache(self, batch, capacity):
        shape = (batch, self.kv, capacity, self.hd)
        return [(torch.zeros(shape), torch.zeros(shape)) for _ in self.layers]

    def forward_last(self, ids, start, cache):
        """ids (B, T) at cache slots / positions [start, start + T); returns the last position's logits (B, V)."""
        b, t = ids.shape
        end = start + t
        cos, sin = self.cos[start:end], self.sin[start:end]                       # (T, hd)
        mask = None
        if t > 1:
            mask = torch.full((t, end), float("-inf")).triu(start + 1)             # (T, S) causal
        h = F.embedding(ids, self.embed)                                           # (B, T, D)
        rep = self.heads // self.kv
        for layer, (k_cache, v_cache) in zip(self.layers, cache):
            x = rms_norm(h, layer["n1"])
            q = F.linear(x, layer["q"]).view(b, t, self.heads, self.hd).transpose(1, 2)
            k = F.linear(x, layer["k"]).view(b, t, self.kv, self.hd).transpose(1, 2)
            v = F.linear(x, layer["v"]).view(b, t, self.kv, self.hd).transpose(1, 2)
            q = q * cos + rotate_half(q) * sin
            k = k * cos + rotate_half(k) * sin
            k_cache[:, :, start:end] = k
            v_cache[:, :, start:end] = v
            keys, values = k_cache[:, :, :end], v_cache[:, :, :end]                # (B, nKv, S, hd)
            if rep > 1:                                                            # repeat_kv
                keys = keys[:, :, None].expand(b, self.kv, rep, end, self.hd).reshape(b, self.heads, end, self.hd)
                values = values[:, :, None].expand(b, self.kv, rep, end, self.hd).reshape(b, self.heads, end,
                                                                                          self.hd)
            scores = q @ keys.transpose(2, 3) / math.sqrt(self.hd)                 # (B, nH, T, S)
            if mask is not None:
                scores = scores + mask
            context = torch.softmax(scores, dim=-1) @ values                       # (B, nH, T, hd)
            h = h + F.linear(context.transpose(1, 2).reshape(b, t, self.d), layer["o"])
            x = rms_norm(h, layer["n2"])
            h = h + F.linear(F.silu(F.linear(x, layer["gate"])) * F.linear(x, layer["up"]), layer["down"])
        return F.linear(rms_norm(h[:, -1], self.norm), self.head)                  # (B, V)

    def generate(self, prompts, new_tokens):
        """Greedy; returns (prefill s, decode s, decode steps, tokens per row)."""
        b, t = prompts.shape
        cache = self.new_cache(b, t + new_tokens)
        start = time.perf_counter()
        logits = self.forward_last(prompts, 0, cache)
        nxt = logits.argmax(-1)
        rows = [[token] for token in nxt.tolist()]                                # the host copy, as Java's sampling
        prefill = time.perf_counter() - start
        start = time.perf_counter()
        steps = 0
        while len(rows[0]) < new_tokens:
            logits = self.forward_last(nxt[:, None], t + steps, cache)
            steps += 1
            nxt = logits.argmax(-1)
            for row, token in zip(rows, nxt.tolist()):
                row.append(token)
        return prefill, time.perf_counter() - start, steps, rows


def matmul_only_ms(m, batch, slots, iterations):
    """Mean time of one decode step's matrix products alone (DecodeBenchmark.matmulOnlyMs)."""
    rep = m.heads // m.kv
    x = torch.randn(batch, 1, m.d)
    attn_out = torch.randn(batch, 1, m.heads * m.hd)
    h = torch.randn(batch, 1, m.layers[0]["gate"].shape[0])
    q = torch.randn(batch, m.kv, rep, m.hd)
    k_t = torch.randn(batch, m.kv, m.hd, slots)
    p = torch.randn(batch, m.kv, rep, slots)
    v = torch.randn(batch, m.kv, slots, m.hd)
    total = 0.0
    for i in range(-3, iterations):                                                # 3 warm-up iterations
        start = time.perf_counter()
        for layer in m.layers:
            for name in ("q", "k", "v", "o", "gate", "up", "down"):
                F.linear(h if name == "down" else attn_out if name == "o" else x, layer[name])
            q @ k_t
            p @ v
        F.linear(x, m.head)
        if i >= 0:
            total += time.perf_counter() - start
    return total * 1000 / iterations


def median(values):
    return sorted(values)[len(values) // 2]


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--models", default="tiny,100m")
    p.add_argument("--batches", default="1,4")
    p.add_argument("--prompt", type=int, default=128)
    p.add_argument("--new", type=int, default=64)
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--threads", type=int, default=os.cpu_count())
    a = p.parse_args()
    for name in a.models.split(","):
        if name not in CONFIGS:
            p.error("unknown model '%s'; use %s" % (name, " or ".join(CONFIGS)))
    if a.new < 2:
        p.error("--new must be >= 2 (the first token comes from the prefill), got %d" % a.new)
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    print("# decode_benchmark.py: PyTorch %s eager, CPU, threads %d, %d cores, prompt %d tokens, %d new tokens,"
          " greedy, median of %d, load average at start %.1f\n"
          % (torch.__version__, a.threads, os.cpu_count(), a.prompt, a.new, a.repeats, os.getloadavg()[0]))
    print("| model | parameters | batch | prefill tok/s | decode tok/s | decode step ms | matmul-only ms "
          "| step / matmul |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    prompt = torch.tensor(list((TEXT * (1 + a.prompt // 40)).encode("utf-8"))[: a.prompt])
    with torch.inference_mode():
        for name in a.models.split(","):
            m = Llama(name)
            m.generate(prompt[None, :], 4)                                         # warm-up
            for batch in (int(x) for x in a.batches.split(",")):
                prompts = prompt[None, :].repeat(batch, 1)
                runs = [m.generate(prompts, a.new) for _ in range(a.repeats)]
                prefill = median([batch * a.prompt / r[0] for r in runs])
                decode = median([batch * (a.new - 1) / r[1] for r in runs])
                step_ms = median([r[1] * 1000 / r[2] for r in runs])
                matmul_ms = matmul_only_ms(m, batch, a.prompt + a.new // 2, a.repeats * a.new)
                print("| %s | %.1fM | %d | %.0f | %.1f | %.2f | %.2f | %.2f |"
                      % (name, m.parameters() / 1e6, batch, prefill, decode, step_ms, matmul_ms, step_ms / matmul_ms))
    print("\nload average at end %.1f" % os.getloadavg()[0])


if __name__ == "__main__":
    main()
