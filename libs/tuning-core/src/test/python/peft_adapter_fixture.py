#!/usr/bin/python3
"""An adapter in PEFT's on-disk LoRA format, written by hand (no peft, no safetensors package), and the
logits the base model gives with it, computed by the independent float64 forward of llama_reference.py.

TuneForge's Java LoraAdapter.load must read these files as PEFT would and reproduce the logits.

What it writes into --out:
  adapter/adapter_config.json        as PEFT's LoraConfig.save_pretrained writes it (keys sorted, indent 2)
  adapter/adapter_model.safetensors  base_model.model.model.layers.{i}.{self_attn|mlp}.{proj}.lora_{A|B}.weight,
                                     F32, header in PEFT's order, __metadata__ {"format": "pt"}
  expected.json                      adapter settings, base weights sha256, token cases, logits of the last
                                     three positions (float64, rounded to 1e-6)

The adapter: r 4, lora_alpha 12 (scaling 3), target_modules q_proj, v_proj, down_proj (a subset, listed
out of order), lora_dropout 0.1 (inactive at inference), A ~ U(-1/sqrt(in), 1/sqrt(in)) as PEFT initialises
it, B ~ N(0, 0.05) (a trained B is non-zero), from torch.Generator seed 1234.

Expected logits: W' = W + scaling * B @ A for every adapted projection (float64), then the reference forward.

Command (Debian's torch: /usr/bin/python3; MODEL_DIR is the default tiny model, see README.md beside
the fixture):
  peft_adapter_fixture.py --model MODEL_DIR --out src/test/resources/golden/peft
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
import llama_reference as ref  # noqa: E402  (the independent float64 forward)

R = 4
ALPHA = 12
DROPOUT = 0.1
TARGETS = ["v_proj", "down_proj", "q_proj"]
SEED = 1234


def write_safetensors(path, tensors, metadata):
    """tensors: list of (name, float32 torch tensor). Little-endian F32, offsets in list order."""
    header = {"__metadata__": metadata}
    data = b""
    for name, t in tensors:
        raw = struct.pack("<%df" % t.numel(), *t.flatten().tolist())
        header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [len(data), len(data) + len(raw)]}
        data += raw
    hjson = json.dumps(header, separators=(",", ":")).encode("utf-8")
    hjson += b" " * ((8 - len(hjson) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(hjson)) + hjson + data)


def peft_config(base):
    # the fields of peft.LoraConfig.to_dict() (PEFT 0.13-0.15), as save_pretrained writes them
    return {
        "alpha_pattern": {}, "auto_mapping": None, "base_model_name_or_path": base, "bias": "none",
        "eva_config": None, "exclude_modules": None, "fan_in_fan_out": False, "inference_mode": True,
        "init_lora_weights": True, "layer_replication": None, "layers_pattern": None,
        "layers_to_transform": None, "loftq_config": {}, "lora_alpha": ALPHA, "lora_bias": False,
        "lora_dropout": DROPOUT, "megatron_config": None, "megatron_core": "megatron.core",
        "modules_to_save": None, "peft_type": "LORA", "r": R, "rank_pattern": {}, "revision": None,
        "target_modules": TARGETS, "task_type": "CAUSAL_LM", "use_dora": False, "use_rslora": False,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", required=True, help="the default tiny model directory")
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    torch.set_grad_enabled(False)

    with open(os.path.join(args.model, "config.json")) as f:
        raw = json.load(f)
    cfg = ref.Config(raw)
    weights = ref.load_weights(args.model)
    with open(os.path.join(args.model, "model.safetensors"), "rb") as f:
        sha = hashlib.sha256(f.read()).hexdigest()

    gen = torch.Generator().manual_seed(SEED)
    tensors = []
    merged = dict(weights)
    scaling = ALPHA / R
    for layer in range(cfg.layers):
        for block, proj in [("self_attn", "q_proj"), ("self_attn", "v_proj"), ("mlp", "down_proj")]:
            module = "model.layers.%d.%s.%s" % (layer, block, proj)
            w = weights[module + ".weight"]                                     # (out, in) float64
            out_f, in_f = w.shape
            bound = 1.0 / math.sqrt(in_f)                                      # kaiming_uniform_(a=sqrt(5))
            a = (torch.rand(R, in_f, generator=gen, dtype=torch.float32) * 2 - 1) * bound
            b = torch.randn(out_f, R, generator=gen, dtype=torch.float32) * 0.05
            tensors.append(("base_model.model.%s.lora_A.weight" % module, a))
            tensors.append(("base_model.model.%s.lora_B.weight" % module, b))
            merged[module + ".weight"] = w + scaling * (b.double() @ a.double())

    adapter_dir = os.path.join(args.out, "adapter")
    os.makedirs(adapter_dir, exist_ok=True)
    write_safetensors(os.path.join(adapter_dir, "adapter_model.safetensors"), tensors, {"format": "pt"})
    with open(os.path.join(adapter_dir, "adapter_config.json"), "w") as f:
        json.dump(peft_config("tuneforge/tiny-llama"), f, indent=2, sort_keys=True)

    cases = []
    for case in ref.golden_cases()[:2]:
        logits = ref.forward(cfg, merged, case["input_ids"], case["attention_mask"])
        base_logits = ref.forward(cfg, weights, case["input_ids"], case["attention_mask"])
        seq = logits.shape[1]
        positions = list(range(seq - 3, seq))
        case = dict(case)
        case["positions"] = positions
        case["logits"] = [[[round(float(x), 6) for x in row] for row in pos]
                          for pos in logits[:, positions, :].tolist()]
        case["max_adapter_effect"] = float((logits - base_logits).abs().max())
        cases.append(case)
    out = {"generator": "src/test/python/peft_adapter_fixture.py (float64 forward of llama_reference.py)",
           "torch": torch.__version__, "base_config": raw, "base_weights_sha256": sha,
           "adapter": {"r": R, "lora_alpha": ALPHA, "scaling": scaling, "target_modules": TARGETS,
                       "seed": SEED}, "cases": cases}
    with open(os.path.join(args.out, "expected.json"), "w") as f:
        json.dump(out, f, separators=(",", ":"))
        f.write("\n")
    for name in ("adapter/adapter_config.json", "adapter/adapter_model.safetensors", "expected.json"):
        print("wrote %s (%d bytes)" % (name, os.path.getsize(os.path.join(args.out, name))))
    print("max |adapter effect on logits|: %s" % [round(c["max_adapter_effect"], 4) for c in cases])


if __name__ == "__main__":
    main()
