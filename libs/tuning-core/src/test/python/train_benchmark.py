#!/usr/bin/python3
"""The training step of TrainBenchmark.java in PyTorch eager, for a like-for-like speed baseline.

Same shapes (a random Llama: RMSNorm, rotary, attention with nH = nKv heads, SwiGLU, untied head),
same batch (B x T random tokens, every token a target, mean NLL), same step (forward, backward,
clip_grad_norm_(1.0), AdamW(weight_decay=0.01)), f32 on CPU, the same thread count. LoRA: r, alpha 2r,
dropout 0, on the seven projections, base weights frozen. QLoRA: the same LoRA, but each projection's frozen
base is stored as bitsandbytes lays it out (NF4 codes packed two per uint8 byte, absmax per block of 64, the absmax
double-quantized to 8 bits per block of 256 -- TrainBenchmark's QuantizationConfig.defaults()), quantized with
nf4_reference.py's functions and dequantized to f32 in every forward, outside autograd (PyTorch has no NF4
kernel: this is the eager baseline for an on-the-fly dequantizing step). Prints the median step time, tokens/s and
the process's peak resident memory (VmHWM), one mode per process.

  OMP_WAIT_POLICY=PASSIVE /usr/bin/python3 train_benchmark.py --mode lora --threads 2

--phases adds a line with the median of each phase of the step (zero_grad, forward incl. loss, backward, clip,
optimizer, other) and its JSON twin, as TrainBenchmark --phases prints them; --profile FILE records the last step
with torch.profiler into a Chrome trace, each phase a labelled range. The default output is unchanged.
Needs Debian's python3-torch with libopenblas0-openmp installed (the reference BLAS is ~30x slower).
"""
import argparse
import contextlib
import math
import os
import time

import torch
import torch.nn.functional as F

import nf4_reference as nf4


class Linear(torch.nn.Module):
    """x W^T, optionally + scaling * (x A^T) B^T with W frozen (LoRA)."""

    def __init__(self, n_in, n_out, r):
        super().__init__()
        self.weight = torch.nn.Parameter(torch.randn(n_out, n_in) * 0.02, requires_grad=r == 0)
        self.r = r
        if r:
            self.lora_a = torch.nn.Parameter(torch.empty(r, n_in))
            torch.nn.init.kaiming_uniform_(self.lora_a, a=math.sqrt(5))
            self.lora_b = torch.nn.Parameter(torch.zeros(n_out, r))
            self.scaling = 2.0

    def forward(self, x):
        y = F.linear(x, self.weight)
        if self.r:
            y = y + F.linear(F.linear(x, self.lora_a), self.lora_b) * self.scaling
        return y


class Nf4Linear(torch.nn.Module):
    """QLoRA's frozen base: x W^T with W rebuilt from NF4 codes every forward, + LoRA as in Linear."""

    def __init__(self, n_in, n_out, r):
        super().__init__()
        if n_in * n_out % nf4.BLOCK:
            raise ValueError("Nf4Linear %d x %d: the weight count must be a multiple of the NF4 block %d"
                             % (n_out, n_in, nf4.BLOCK))
        dense = torch.randn(n_out, n_in) * 0.02
        packed, absmax, _, _, _ = nf4.quantize_nf4(dense, NF4_THRESHOLDS, NF4_CODE)
        q8, scales, offset, _ = nf4.double_quantize(absmax, DYNAMIC_MAP)
        self.shape, self.n = dense.shape, dense.numel()
        for name, t in (("codes", packed), ("absmax_codes", q8), ("absmax_scales", scales), ("absmax_offset", offset)):
            self.register_buffer(name, t)
        self.lora = Linear(n_in, n_out, r)
        del self.lora.weight  # the LoRA pair only; the base is the NF4 buffers above

    def dequantize(self):
        with torch.no_grad():
            absmax = DYNAMIC_MAP[self.absmax_codes.long()] * self.absmax_scales.repeat_interleave(nf4.DQ_BLOCK)[
                : self.absmax_codes.numel()] + self.absmax_offset
            codes = torch.stack([self.codes >> 4, self.codes & 15], dim=-1).reshape(-1)[: self.n].long()
            w = NF4_CODE[codes].view(-1, nf4.BLOCK) * absmax[:, None]
            return w.view(self.shape)

    def forward(self, x):
        y = F.linear(x, self.dequantize())
        return y + F.linear(F.linear(x, self.lora.lora_a), self.lora.lora_b) * self.lora.scaling


NF4_CODE = torch.tensor(nf4.NF4_PUBLISHED, dtype=torch.float32)
NF4_THRESHOLDS = torch.tensor(nf4.NF4_THRESHOLDS_PUBLISHED, dtype=torch.float32)
DYNAMIC_MAP = nf4.dynamic_map()


class RmsNorm(torch.nn.Module):
    def __init__(self, d, trainable):
        super().__init__()
        self.weight = torch.nn.Parameter(torch.ones(d), requires_grad=trainable)

    def forward(self, x):
        return x / torch.sqrt(x.pow(2).mean(-1, keepdim=True) + 1e-5) * self.weight


def rotate(x, cos, sin):
    half = x.shape[-1] // 2
    return x * cos + torch.cat([-x[..., half:], x[..., :half]], dim=-1) * sin


class Layer(torch.nn.Module):
    def __init__(self, d, heads, inter, r, linear):
        super().__init__()
        self.heads, self.hd = heads, d // heads
        self.n1, self.n2 = RmsNorm(d, r == 0), RmsNorm(d, r == 0)
        self.q, self.k, self.v, self.o = (linear(d, d, r) for _ in range(4))
        self.gate, self.up, self.down = linear(d, inter, r), linear(d, inter, r), linear(inter, d, r)

    def forward(self, h, cos, sin, mask):
        b, t, d = h.shape
        x = self.n1(h)
        q = self.q(x).view(b, t, self.heads, self.hd).transpose(1, 2)
        k = self.k(x).view(b, t, self.heads, self.hd).transpose(1, 2)
        v = self.v(x).view(b, t, self.heads, self.hd).transpose(1, 2)
        q, k = rotate(q, cos, sin), rotate(k, cos, sin)
        scores = (q @ k.transpose(-1, -2)) / math.sqrt(self.hd)
        probs = torch.softmax(scores.masked_fill(~mask, float("-inf")), dim=-1)
        h = h + self.o((probs @ v).transpose(1, 2).reshape(b, t, d))
        x = self.n2(h)
        return h + self.down(F.silu(self.gate(x)) * self.up(x))


class Model(torch.nn.Module):
    def __init__(self, a):
        super().__init__()
        r = a.r if a.mode != "full" else 0
        linear = Nf4Linear if a.mode == "qlora" else Linear
        self.embed = torch.nn.Parameter(torch.randn(a.vocab, a.hidden) * 0.02, requires_grad=r == 0)
        self.layers = torch.nn.ModuleList(Layer(a.hidden, a.heads, a.intermediate, r, linear)
                                          for _ in range(a.layers))
        self.norm = RmsNorm(a.hidden, r == 0)
        self.head = torch.nn.Parameter(torch.randn(a.vocab, a.hidden) * 0.02, requires_grad=r == 0)
        hd = a.hidden // a.heads
        inv = 10000.0 ** (-torch.arange(0, hd, 2).double() / hd)
        angles = torch.arange(a.seq).double()[:, None] * inv[None, :]
        angles = torch.cat([angles, angles], dim=-1)
        self.register_buffer("cos", angles.cos().float())
        self.register_buffer("sin", angles.sin().float())
        self.register_buffer("mask", torch.ones(a.seq, a.seq, dtype=torch.bool).tril())

    def forward(self, ids):
        h = F.embedding(ids, self.embed)
        for layer in self.layers:
            h = layer(h, self.cos, self.sin, self.mask)
        return F.linear(self.norm(h), self.head)


PHASES = ("forward", "backward", "clip", "optimizer", "zero_grad", "other", "total")


class Clock:
    """Wall time per named phase of one step (each a labelled range in a profiler trace)."""

    def __init__(self):
        self.ms = {}

    @contextlib.contextmanager
    def phase(self, name):
        t0 = time.perf_counter()
        with torch.autograd.profiler.record_function("phase:" + name):
            yield
        self.ms[name] = self.ms.get(name, 0.0) + (time.perf_counter() - t0) * 1000


def vm_hwm_mib():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) // 1024
    return -1


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--mode", choices=["lora", "qlora", "full"], default="lora")
    p.add_argument("--hidden", type=int, default=512)
    p.add_argument("--layers", type=int, default=8)
    p.add_argument("--heads", type=int, default=8)
    p.add_argument("--intermediate", type=int, default=1376)
    p.add_argument("--vocab", type=int, default=4096)
    p.add_argument("--seq", type=int, default=256)
    p.add_argument("--batch", type=int, default=8)
    p.add_argument("--r", type=int, default=16)
    p.add_argument("--warmup", type=int, default=2)
    p.add_argument("--steps", type=int, default=5)
    p.add_argument("--threads", type=int, default=os.cpu_count())
    p.add_argument("--phases", action="store_true", help="print the median time of each phase of the step")
    p.add_argument("--profile", metavar="FILE", help="Chrome trace of the last step (torch.profiler)")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    model = Model(a)
    params = [q for q in model.parameters() if q.requires_grad]
    decay = [q for n, q in model.named_parameters() if q.requires_grad and "norm" not in n]
    no_decay = [q for n, q in model.named_parameters() if q.requires_grad and "norm" in n]
    opt = torch.optim.AdamW([{"params": decay}, {"params": no_decay, "weight_decay": 0.0}], lr=1e-5,
                            weight_decay=0.01, foreach=False)
    g = torch.Generator().manual_seed(1234)
    ids = torch.randint(0, a.vocab, (a.batch, a.seq), generator=g)
    times = []
    phases = {name: [] for name in PHASES}
    for s in range(a.warmup + a.steps):
        profiler = None
        if a.profile and s == a.warmup + a.steps - 1:
            profiler = torch.profiler.profile(activities=[torch.profiler.ProfilerActivity.CPU])
            profiler.__enter__()
        clock = Clock()
        t0 = time.perf_counter()
        with clock.phase("zero_grad"):
            opt.zero_grad()
        with clock.phase("forward"):
            logits = model(ids)
            loss = F.cross_entropy(logits[:, :-1].reshape(-1, a.vocab), ids[:, 1:].reshape(-1))
        with clock.phase("backward"):
            loss.backward()
        with clock.phase("clip"):
            torch.nn.utils.clip_grad_norm_(params, 1.0)
        with clock.phase("optimizer"):
            opt.step()
        elapsed = (time.perf_counter() - t0) * 1000
        if profiler is not None:
            profiler.__exit__(None, None, None)
            profiler.export_chrome_trace(a.profile)
        if s >= a.warmup:
            times.append(elapsed)
            clock.ms["other"] = elapsed - sum(clock.ms.values())
            clock.ms["total"] = elapsed
            for name in PHASES:
                phases[name].append(clock.ms[name])
    times.sort()
    median = times[len(times) // 2]
    total = sum(q.numel() for n, q in model.named_parameters() if "lora" not in n) + sum(
        m.n for m in model.modules() if isinstance(m, Nf4Linear))
    print("# train_benchmark.py (PyTorch %s eager, threads %d, load average %.1f)"
          % (torch.__version__, a.threads, os.getloadavg()[0]))
    print("mode %s: %.1fM parameters, %d trainable; batch %d x %d tokens; median step %.0f ms (min %.0f, max %.0f"
          " over %d); %.0f tokens/s; peak RSS %d MiB; last loss %.4f"
          % (a.mode, total / 1e6, sum(q.numel() for q in params), a.batch, a.seq, median, times[0], times[-1],
             a.steps, a.batch * a.seq / (median / 1000), vm_hwm_mib(), loss.item()))
    print('{"impl":"python","mode":"%s","ms_per_step":%.1f,"tokens_per_second":%.1f,"peak_rss_mib":%d}'
          % (a.mode, median, a.batch * a.seq / (median / 1000), vm_hwm_mib()))
    if a.phases:
        medians = {name: sorted(v)[len(v) // 2] for name, v in phases.items()}
        print("phases %s (median ms): %s" % (a.mode, " ".join("%s %.1f" % (n, medians[n]) for n in PHASES)))
        print('{"impl":"python","mode":"%s","phases_ms":{%s}}'
              % (a.mode, ",".join('"%s":%.1f' % (n, medians[n]) for n in PHASES)))


if __name__ == "__main__":
    main()
