#!/usr/bin/python3
"""Independent reference for TuneForge's preference losses (DPO and ORPO), in PyTorch float64, written
from the papers and TRL's definitions; it shares no code with the Java side.

  DPO (Rafailov et al., 2023, "Direct Preference Optimization"), TRL's "sigmoid" loss with label smoothing e:
      h      = (logp_c - ref_c) - (logp_r - ref_r)          logp = summed log-prob of the response tokens
      loss_i = -(1 - e) * logsigmoid(beta * h) - e * logsigmoid(-beta * h)
      loss   = mean_i loss_i
      rewards/chosen = beta * (logp_c - ref_c), rewards/rejected = beta * (logp_r - ref_r)
  ORPO (Hong et al., 2024, "ORPO: Monolithic Preference Optimization without Reference Model"), TRL's ORPOTrainer:
      m         = mean log-prob of the response tokens (length-normalised)
      log_odds  = (m_c - m_r) - (log1p(-exp(m_c)) - log1p(-exp(m_r)))
      ratio_i   = logsigmoid(log_odds_i)
      nll       = sum of chosen response-token NLL / number of chosen response tokens
      loss      = nll - lambda * mean_i ratio_i
      rewards/chosen = lambda * m_c, rewards/rejected = lambda * m_r

Response log-probs follow the causal shift: logits[:, t] predict labels[:, t + 1]; labels of -100 (prompt and
padding) do not count. A batch holds 2B rows: the B chosen sequences, then the B rejected ones.

Commands (Debian's torch: /usr/bin/python3):

  preference_reference.py logits --out FILE
      fixed random logits (2B, T, V) and labels; DPO (plain and label-smoothed) and ORPO losses, metrics and
      the gradient of each loss with respect to the logits
  preference_reference.py lora --model DIR --out FILE
      the default tiny model in DIR (read with llama_reference.py's float64 forward) with a LoRA adapter
      (r 2, alpha 4, q_proj and v_proj, B non-zero) on a hand-built ChatML batch of two pairs; DPO (reference =
      the same network without the adapter) and ORPO losses, metrics and the gradients with respect to every
      lora_A / lora_B
"""
import argparse
import hashlib
import json
import math
import os
import sys

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import llama_reference as ref  # noqa: E402  (the independent float64 decoder)

IGNORE = -100


# ---------------------------------------------------------------- the math

def response_logps(logits, labels):
    """Summed log-prob of each row's labelled tokens after the causal shift, and their count."""
    z = logits[:, :-1, :]
    y = labels[:, 1:]
    valid = y != IGNORE
    safe = torch.where(valid, y, torch.zeros_like(y))
    picked = torch.log_softmax(z, dim=-1).gather(-1, safe.unsqueeze(-1)).squeeze(-1)
    picked = torch.where(valid, picked, torch.zeros_like(picked))
    return picked.sum(-1), valid.sum(-1).double()


def dpo(logits, labels, ref_chosen, ref_rejected, beta, smoothing):
    logps, _ = response_logps(logits, labels)
    b = logits.shape[0] // 2
    pc, pr = logps[:b], logps[b:]
    h = (pc - ref_chosen) - (pr - ref_rejected)
    losses = -(1 - smoothing) * F.logsigmoid(beta * h) - smoothing * F.logsigmoid(-beta * h)
    loss = losses.mean()
    rc = (beta * (pc - ref_chosen)).detach()
    rr = (beta * (pr - ref_rejected)).detach()
    metrics = {
        "loss": loss.item(),
        "rewards/chosen": rc.mean().item(),
        "rewards/rejected": rr.mean().item(),
        "rewards/accuracies": (rc > rr).double().mean().item(),
        "rewards/margins": (rc - rr).mean().item(),
        "logps/chosen": pc.detach().mean().item(),
        "logps/rejected": pr.detach().mean().item(),
    }
    return loss, metrics, {"policy_chosen": pc.tolist(), "policy_rejected": pr.tolist()}


def orpo(logits, labels, lam):
    logps, counts = response_logps(logits, labels)
    b = logits.shape[0] // 2
    mean = logps / counts
    mc, mr = mean[:b], mean[b:]
    nll = -logps[:b].sum() / counts[:b].sum()
    log_odds = (mc - mr) - (torch.log1p(-torch.exp(mc)) - torch.log1p(-torch.exp(mr)))
    ratio = F.logsigmoid(log_odds)
    loss = nll - lam * ratio.mean()
    rc, rr = (lam * mc).detach(), (lam * mr).detach()
    metrics = {
        "loss": loss.item(),
        "rewards/chosen": rc.mean().item(),
        "rewards/rejected": rr.mean().item(),
        "rewards/accuracies": (rc > rr).double().mean().item(),
        "rewards/margins": (rc - rr).mean().item(),
        "logps/chosen": mc.detach().mean().item(),
        "logps/rejected": mr.detach().mean().item(),
        "log_odds_ratio": ratio.detach().mean().item(),
        "log_odds_chosen": log_odds.detach().mean().item(),
        "nll_loss": nll.item(),
    }
    return loss, metrics, {"mean_chosen": mc.tolist(), "mean_rejected": mr.tolist()}


# ---------------------------------------------------------------- case 1: logits

def cmd_logits(args):
    gen = torch.Generator().manual_seed(20240501)
    pairs, seq, vocab = 3, 7, 13
    rows = 2 * pairs
    # logits rounded to 1e-6 so that both sides start from the same numbers
    logits = torch.round(torch.randn(rows, seq, vocab, generator=gen, dtype=torch.float64) * 2.0 * 1e6) / 1e6
    # prompt lengths and response lengths per row (chosen rows 0..2, rejected rows 3..5); -100 on prompt and padding
    layout = [(2, 4), (3, 3), (1, 5), (2, 2), (3, 4), (1, 3)]
    labels = torch.full((rows, seq), IGNORE, dtype=torch.long)
    for i, (prompt, response) in enumerate(layout):
        ids = torch.randint(0, vocab, (response,), generator=gen)
        labels[i, prompt:prompt + response] = ids
    ref_chosen = torch.tensor([-14.25, -9.5, -17.75], dtype=torch.float64)
    ref_rejected = torch.tensor([-8.5, -13.0, -10.125], dtype=torch.float64)

    cases = []
    for name, kind, beta, smoothing in [("dpo", "dpo", 0.1, 0.0), ("dpo-smoothed", "dpo", 0.5, 0.2),
                                        ("orpo", "orpo", 0.25, None)]:
        x = logits.clone().requires_grad_(True)
        if kind == "dpo":
            loss, metrics, extra = dpo(x, labels, ref_chosen, ref_rejected, beta, smoothing)
        else:
            loss, metrics, extra = orpo(x, labels, beta)
        loss.backward()
        cases.append({"name": name, "method": kind, "beta": beta, "label_smoothing": smoothing,
                      "metrics": metrics, "extra": extra,
                      "grad": [round(float(g), 12) for g in x.grad.flatten().tolist()]})
    out = {"generator": "src/test/python/preference_reference.py logits (float64)", "torch": torch.__version__,
           "pairs": pairs, "seq": seq, "vocab": vocab,
           "logits": [round(float(v), 6) for v in logits.flatten().tolist()],
           "labels": labels.flatten().tolist(),
           "ref_chosen": ref_chosen.tolist(), "ref_rejected": ref_rejected.tolist(), "cases": cases}
    write(args.out, out)


# ---------------------------------------------------------------- case 2: tiny model + LoRA

R, ALPHA, TARGETS, SEED = 2, 4.0, ("q_proj", "v_proj"), 777
PAD, IM_START, IM_END = 256, 257, 258


def chatml_pair(question, chosen, rejected):
    """Token rows of the byte-level tiny tokenizer, written by hand: prompt ends with the generation prompt,
    each response ends with <|im_end|>."""
    def text(s):
        return list(s.encode("utf-8"))
    prompt = [IM_START] + text("user\n" + question) + [IM_END] + text("\n") + [IM_START] + text("assistant\n")
    return prompt, text(chosen) + [IM_END], text(rejected) + [IM_END]


def cmd_lora(args):
    with open(os.path.join(args.model, "config.json")) as f:
        raw = json.load(f)
    cfg = ref.Config(raw)
    weights = ref.load_weights(args.model)
    with open(os.path.join(args.model, "model.safetensors"), "rb") as f:
        sha = hashlib.sha256(f.read()).hexdigest()

    pairs = [chatml_pair("Sky colour?", "blue", "I do not know, sorry."),
             chatml_pair("2+2?", "4", "five")]
    seqs, prompt_lens = [], []
    for prompt, chosen, _ in pairs:
        seqs.append(prompt + chosen)
        prompt_lens.append(len(prompt))
    for prompt, _, rejected in pairs:
        seqs.append(prompt + rejected)
        prompt_lens.append(len(prompt))
    width = max(len(s) for s in seqs)
    input_ids = [s + [PAD] * (width - len(s)) for s in seqs]
    mask = [[1] * len(s) + [0] * (width - len(s)) for s in seqs]
    labels = [[IGNORE] * p + s[p:] + [IGNORE] * (width - len(s)) for s, p in zip(seqs, prompt_lens)]
    label_tensor = torch.tensor(labels, dtype=torch.long)

    gen = torch.Generator().manual_seed(SEED)
    scaling = ALPHA / R
    adapter = {}
    for layer in range(cfg.layers):
        for proj in TARGETS:
            module = "model.layers.%d.self_attn.%s" % (layer, proj)
            out_f, in_f = weights[module + ".weight"].shape
            bound = 1.0 / math.sqrt(in_f)
            a = ((torch.rand(R, in_f, generator=gen, dtype=torch.float32) * 2 - 1) * bound)
            b = torch.randn(out_f, R, generator=gen, dtype=torch.float32) * 0.1
            adapter[module] = (a, b)

    def run(loss_fn):
        params = {}
        w = dict(weights)
        for module, (a, b) in adapter.items():
            pa = a.double().clone().requires_grad_(True)
            pb = b.double().clone().requires_grad_(True)
            params["base_model.model.%s.lora_A.weight" % module] = pa
            params["base_model.model.%s.lora_B.weight" % module] = pb
            w[module + ".weight"] = weights[module + ".weight"] + scaling * (pb @ pa)
        logits = ref.forward(cfg, w, input_ids, mask)
        loss, metrics, extra = loss_fn(logits)
        loss.backward()
        grads = {name: [round(float(g), 12) for g in p.grad.flatten().tolist()] for name, p in params.items()}
        return metrics, extra, grads

    with torch.no_grad():
        base_logits = ref.forward(cfg, weights, input_ids, mask)
        base_logps, _ = response_logps(base_logits, label_tensor)
    b = len(pairs)
    ref_chosen, ref_rejected = base_logps[:b], base_logps[b:]
    cases = []
    for name, kind, beta, smoothing in [("dpo", "dpo", 0.5, 0.0), ("dpo-smoothed", "dpo", 0.5, 0.1),
                                        ("orpo", "orpo", 0.2, None)]:
        if kind == "dpo":
            metrics, extra, grads = run(lambda z: dpo(z, label_tensor, ref_chosen, ref_rejected, beta, smoothing))
        else:
            metrics, extra, grads = run(lambda z: orpo(z, label_tensor, beta))
        cases.append({"name": name, "method": kind, "beta": beta, "label_smoothing": smoothing,
                      "metrics": metrics, "extra": extra, "grads": grads})
    out = {"generator": "src/test/python/preference_reference.py lora (float64 forward of llama_reference.py)",
           "torch": torch.__version__, "base_config": raw, "base_weights_sha256": sha,
           "lora": {"r": R, "alpha": ALPHA, "target_modules": list(TARGETS), "seed": SEED},
           "input_ids": input_ids, "attention_mask": mask, "labels": labels,
           "reference": {"chosen": ref_chosen.tolist(), "rejected": ref_rejected.tolist()},
           # float32 values written exactly (repr of the float32 as a Python float)
           "adapter": {("base_model.model.%s.lora_%s.weight" % (m, k)): [float(v) for v in t.flatten().tolist()]
                       for m, (a, bb) in adapter.items() for k, t in (("A", a), ("B", bb))},
           "adapter_shapes": {("base_model.model.%s.lora_%s.weight" % (m, k)): list(t.shape)
                              for m, (a, bb) in adapter.items() for k, t in (("A", a), ("B", bb))},
           "cases": cases}
    write(args.out, out)


def write(path, obj):
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(path, "w") as f:
        json.dump(obj, f, separators=(",", ":"))
        f.write("\n")
    print("wrote %s (%d bytes)" % (path, os.path.getsize(path)))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    lg = sub.add_parser("logits")
    lg.add_argument("--out", required=True)
    lo = sub.add_parser("lora")
    lo.add_argument("--model", required=True, help="the default tiny model directory (TinySpec.defaults())")
    lo.add_argument("--out", required=True)
    args = parser.parse_args()
    {"logits": cmd_logits, "lora": cmd_lora}[args.command](args)


if __name__ == "__main__":
    main()
