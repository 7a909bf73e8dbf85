#!/usr/bin/python3
"""Independent reference for TuneForge's SFT training steps (LoRA and full fine-tuning).

Starts from files the Java side writes (the tiny model, and for LoRA our freshly initialised
adapter in PEFT format), then does three optimizer steps in PyTorch float64 with nothing of ours:

  * the decoder of llama_reference.py (written from the published math);
  * LoRA as a merged weight W + (alpha / r) * B @ A, so gradients reach A and B through autograd
    (the Java side runs the unmerged x A^T B^T path);
  * masked causal cross-entropy: logits[:, :-1] against labels[:, 1:], labels -100 ignored,
    each example forwarded alone (no padding), sum of NLL / target tokens of the whole optimizer
    step (gradient accumulation over 2 micro-batches of 2 examples), back-propagated per example;
  * torch.nn.utils.clip_grad_norm_ (its pre-clip norm is recorded);
  * torch.optim.AdamW (foreach=False), weight decay on LoRA matrices / on every full-model weight
    except biases and norm weights (Hugging Face Trainer's grouping);
  * LambdaLR with transformers' linear-with-warmup lambda.

Commands (Debian's /usr/bin/python3 with python3-torch, python3-numpy):

  sft_reference.py lora --model DIR/model --adapter DIR/lora-initial --out GOLDEN_DIR
      writes lora.json (inputs, settings, losses, grad norms, lrs) and lora-step1.safetensors,
      lora-step3.safetensors (every lora_A/lora_B after steps 1 and 3, F32, PEFT names)
  sft_reference.py full --model DIR/model --out GOLDEN_DIR
      writes full.json and full-step1.safetensors (a few weights after step 1, F32)
"""
import argparse
import hashlib
import json
import math
import os
import struct
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import llama_reference as ref  # noqa: E402

IGNORE = -100

# the optimisation both checks use; 3 steps of 2 micro-batches of 2 examples
STEPS = [[[0, 1], [2, 3]], [[4, 5], [6, 7]], [[8, 9], [10, 11]]]
# eps is larger than PyTorch's default 1e-8 on purpose. Java computes in float32, this script in float64; their
# gradients agree to ~5e-7 of each tensor's scale (measured), i.e. small elements differ by a few 1e-10 absolute.
# Adam's first update g / (|g| + eps) is steepest where |g| is near eps and multiplies such a difference by up to
# 1 / (4 eps): with eps 1e-8 a q_proj lora_B gradient of 3.8e-8 (B = 0 and nearly uniform attention at init) came
# out 4.6e-4 of the learning rate apart, with 1e-5 still 8e-5. eps 1e-3 (LoRA; its gradients are the smaller ones)
# and 1e-5 (full) keep the comparison about the implementation rather than the float format. AdamWTest checks the
# update at eps 1e-8 against torch's own numbers.
LORA_HYPER = {"learning_rate": 2e-3, "weight_decay": 0.01, "max_grad_norm": 0.3, "scheduler": "linear",
              "warmup_steps": 0, "total_steps": 10, "betas": [0.9, 0.999], "eps": 1e-3}
FULL_HYPER = {"learning_rate": 1e-3, "weight_decay": 0.01, "max_grad_norm": 1.0, "scheduler": "cosine",
              "warmup_steps": 0, "total_steps": 10, "betas": [0.9, 0.999], "eps": 1e-5}
FULL_TENSORS = ["model.layers.0.self_attn.q_proj.weight", "model.layers.1.mlp.down_proj.weight",
                "model.layers.1.input_layernorm.weight", "model.norm.weight", "lm_head.weight"]


def examples():
    """12 ChatML-shaped token sequences of different lengths; prompt tokens masked with -100."""
    out = []
    for k in range(12):
        user = [(k * 37 + 11 * j) % 200 + 32 for j in range(3 + k % 5)]
        answer = [(k * 53 + 7 * j) % 90 + 33 for j in range(2 + (k * 3) % 7)]
        prompt = [257] + list(b"user\n") + user + [258, 10, 257] + list(b"assistant\n")
        target = answer + [258, 10]
        out.append({"input_ids": prompt + target, "labels": [IGNORE] * len(prompt) + target})
    return out


def lr_lambda(hyper):
    warmup, total, kind = hyper["warmup_steps"], hyper["total_steps"], hyper["scheduler"]

    def f(step):  # transformers' get_{linear,cosine}_schedule_with_warmup
        if step < warmup:
            return float(step) / float(max(1, warmup))
        if kind == "cosine":
            progress = float(step - warmup) / float(max(1, total - warmup))
            return max(0.0, 0.5 * (1.0 + math.cos(math.pi * 0.5 * 2.0 * progress)))
        return max(0.0, float(total - step) / float(max(1, total - warmup)))
    return f


def nll_sum(logits, labels):
    """Sum of -log p(label) over labels != -100 after the causal shift, and their count."""
    z = logits[0, :-1]                                     # (T-1, V)
    y = torch.tensor(labels[1:], dtype=torch.long)         # (T-1)
    keep = y != IGNORE
    logp = torch.log_softmax(z, dim=-1)
    picked = logp[torch.arange(len(y))[keep], y[keep]]
    return -picked.sum(), int(keep.sum())


def write_safetensors(path, tensors):
    """F32 tensors, names sorted, header padded to 8 bytes (as safetensors writes them)."""
    header, blobs, offset = {}, [], 0
    for name in sorted(tensors):
        raw = tensors[name].detach().to(torch.float32).numpy().astype("<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(tensors[name].shape), "data_offsets": [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    h = json.dumps(header, separators=(",", ":")).encode("utf-8")
    h += b" " * ((8 - len(h) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)) + h + b"".join(blobs))


def model_files(model_dir):
    with open(os.path.join(model_dir, "config.json")) as f:
        raw = json.load(f)
    with open(os.path.join(model_dir, "model.safetensors"), "rb") as f:
        sha = hashlib.sha256(f.read()).hexdigest()
    return raw, ref.Config(raw), ref.load_weights(model_dir), sha


def cmd_lora(args):
    raw, cfg, base, sha = model_files(args.model)
    with open(os.path.join(args.adapter, "adapter_config.json")) as f:
        acfg = json.load(f)
    scaling = acfg["lora_alpha"] / (math.sqrt(acfg["r"]) if acfg.get("use_rslora") else acfg["r"])
    saved, _ = ref.read_safetensors(os.path.join(args.adapter, "adapter_model.safetensors"))
    lora = {name: t.clone().requires_grad_(True) for name, t in saved.items()}   # float64 leaves
    modules = sorted({n[len("base_model.model."):-len(".lora_A.weight")] for n in lora if n.endswith(".lora_A.weight")})

    def effective():
        w = dict(base)
        for m in modules:
            a = lora["base_model.model." + m + ".lora_A.weight"]               # (r, in)
            b = lora["base_model.model." + m + ".lora_B.weight"]               # (out, r)
            w[m + ".weight"] = base[m + ".weight"] + scaling * (b @ a)
        return w

    data = examples()
    names = sorted(lora)
    groups = [{"params": [lora[n] for n in names]}]
    losses, norms, lrs = [], [], []
    gen = steps_with_snapshots(cfg, effective, groups, LORA_HYPER, data, lambda: {n: lora[n] for n in names})
    for k, (loss, norm, lr, snap) in enumerate(gen, start=1):
        losses.append(loss), norms.append(norm), lrs.append(lr)
        if k in (1, 3):
            write_safetensors(os.path.join(args.out, "lora-step%d.safetensors" % k), snap)
    out = {"generator": "src/test/python/sft_reference.py lora (float64)", "torch": torch.__version__,
           "config": raw, "weights_sha256": sha, "lora": {"r": acfg["r"], "alpha": acfg["lora_alpha"],
                                                          "target_modules": acfg["target_modules"], "scaling": scaling},
           "hyperparameters": LORA_HYPER, "examples": data, "steps": STEPS,
           "losses": losses, "grad_norms": norms, "learning_rates": lrs}
    dump(out, os.path.join(args.out, "lora.json"))


def cmd_full(args):
    raw, cfg, base, sha = model_files(args.model)
    weights = {n: t.clone().requires_grad_(True) for n, t in base.items()}
    names = list(weights)
    decay = [weights[n] for n in names if not n.endswith(".bias") and "norm" not in n]
    no_decay = [weights[n] for n in names if n.endswith(".bias") or "norm" in n]
    groups = [{"params": decay}, {"params": no_decay, "weight_decay": 0.0}]
    data = examples()
    losses, norms, lrs = [], [], []
    gen = steps_with_snapshots(cfg, lambda: weights, groups, FULL_HYPER, data,
                               lambda: {n: weights[n] for n in FULL_TENSORS})
    for k, (loss, norm, lr, snap) in enumerate(gen, start=1):
        losses.append(loss), norms.append(norm), lrs.append(lr)
        if k == 1:
            write_safetensors(os.path.join(args.out, "full-step1.safetensors"), snap)
    out = {"generator": "src/test/python/sft_reference.py full (float64)", "torch": torch.__version__,
           "config": raw, "weights_sha256": sha, "hyperparameters": FULL_HYPER, "examples": data, "steps": STEPS,
           "tensors": FULL_TENSORS, "losses": losses, "grad_norms": norms, "learning_rates": lrs}
    dump(out, os.path.join(args.out, "full.json"))


def steps_with_snapshots(cfg, effective_weights, groups, hyper, data, snapshot):
    """Yields (loss, pre-clip grad norm, lr used, {name: tensor copy}) after each optimizer step."""
    params = [p for g in groups for p in g["params"]]
    opt = torch.optim.AdamW(groups, lr=hyper["learning_rate"], betas=tuple(hyper["betas"]), eps=hyper["eps"],
                            weight_decay=hyper["weight_decay"], foreach=False)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lr_lambda(hyper))
    for step in STEPS:
        opt.zero_grad()
        ids = [i for micro in step for i in micro]
        total = sum(sum(1 for y in data[i]["labels"][1:] if y != IGNORE) for i in ids)
        loss_sum = 0.0
        for micro in step:
            for i in micro:
                ex = data[i]
                logits = ref.forward(cfg, effective_weights(), [ex["input_ids"]], [[1] * len(ex["input_ids"])])
                s, _ = nll_sum(logits, ex["labels"])
                (s / total).backward()
                loss_sum += s.item()
        norm = float(torch.nn.utils.clip_grad_norm_(params, hyper["max_grad_norm"]))
        lr = opt.param_groups[0]["lr"]
        opt.step()
        sched.step()
        yield loss_sum / total, norm, lr, {n: t.detach().clone() for n, t in snapshot().items()}


def dump(obj, path):
    with open(path, "w") as f:
        json.dump(obj, f, separators=(",", ":"))
        f.write("\n")
    print("wrote %s (%d bytes); losses %s" % (path, os.path.getsize(path), obj["losses"]))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    lo = sub.add_parser("lora")
    lo.add_argument("--model", required=True)
    lo.add_argument("--adapter", required=True)
    lo.add_argument("--out", required=True)
    fu = sub.add_parser("full")
    fu.add_argument("--model", required=True)
    fu.add_argument("--out", required=True)
    args = parser.parse_args()
    torch.manual_seed(0)
    os.makedirs(args.out, exist_ok=True)
    {"lora": cmd_lora, "full": cmd_full}[args.command](args)


if __name__ == "__main__":
    main()
