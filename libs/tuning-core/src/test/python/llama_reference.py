#!/usr/bin/python3
"""Independent reference for TuneForge's Java decoder: a Llama / Qwen2 / Mistral forward pass in
PyTorch float64, written from the published math (RMSNorm, RoPE in the rotate_half layout with
linear / llama3 scaling, grouped-query attention, SwiGLU), with safetensors read by hand
(8-byte little-endian header length, JSON header, raw little-endian data).

It shares no code with the Java side; it only reads the files the Java side writes.

Commands (run with Debian's /usr/bin/python3: apt-get install -y python3-torch python3-numpy):

  llama_reference.py golden  --model DIR --variant NAME --out FILE [--last K]
      run the fixed token cases below through the model in DIR, write logits of the last K
      positions (rounded to 1e-6) with the inputs, config and weights sha256 as JSON
  llama_reference.py fixture --out DIR
      write DIR/python-written.safetensors (F32, F16, BF16, I64, U8 tensors, header in
      non-sorted order, __metadata__) and DIR/python-written.json with the expected values
  llama_reference.py logits  --model DIR --tokens 1,2,3
      print the last position's logits (for ad-hoc checks)
"""
import argparse
import hashlib
import json
import math
import os
import struct
import sys

import numpy as np
import torch

# ---------------------------------------------------------------- safetensors by hand

NP_TYPES = {"F32": np.float32, "F16": np.float16, "I64": np.int64, "U8": np.uint8}


def read_safetensors(path):
    """Returns {name: torch tensor} (floats as float64) and the metadata dict."""
    with open(path, "rb") as f:
        blob = f.read()
    (n,) = struct.unpack("<Q", blob[:8])
    header = json.loads(blob[8:8 + n].decode("utf-8"))
    data = blob[8 + n:]
    meta = header.pop("__metadata__", {})
    out = {}
    for name, t in header.items():
        begin, end = t["data_offsets"]
        raw = data[begin:end]
        shape = t["shape"]
        if t["dtype"] == "BF16":
            bits = np.frombuffer(raw, dtype="<u2").astype(np.uint32) << 16
            arr = bits.view(np.float32)
        else:
            arr = np.frombuffer(raw, dtype=np.dtype(NP_TYPES[t["dtype"]]).newbyteorder("<"))
        arr = arr.reshape(shape)
        tensor = torch.from_numpy(arr.copy())
        out[name] = tensor.double() if tensor.is_floating_point() else tensor
    return out, meta


def load_weights(model_dir):
    index = os.path.join(model_dir, "model.safetensors.index.json")
    if os.path.exists(index):
        with open(index) as f:
            shards = sorted(set(json.load(f)["weight_map"].values()))
        weights = {}
        for shard in shards:
            weights.update(read_safetensors(os.path.join(model_dir, shard))[0])
        return weights
    return read_safetensors(os.path.join(model_dir, "model.safetensors"))[0]


# ---------------------------------------------------------------- the decoder, float64

class Config:
    def __init__(self, raw):
        self.raw = raw
        self.model_type = raw["model_type"]
        if self.model_type not in ("llama", "qwen2", "mistral"):
            raise SystemExit("unsupported model_type %r" % self.model_type)
        self.hidden = raw["hidden_size"]
        self.layers = raw["num_hidden_layers"]
        self.heads = raw["num_attention_heads"]
        self.kv_heads = raw.get("num_key_value_heads") or self.heads
        self.head_dim = raw.get("head_dim") or self.hidden // self.heads
        self.eps = raw.get("rms_norm_eps", 1e-6)
        self.theta = raw.get("rope_theta", 10000.0)
        self.scaling = raw.get("rope_scaling")
        self.tied = raw.get("tie_word_embeddings", False)
        self.qkv_bias = self.model_type == "qwen2" or raw.get("attention_bias", False)
        self.o_bias = self.model_type == "llama" and raw.get("attention_bias", False)
        self.window = raw.get("sliding_window") if self.model_type == "mistral" else None


def inverse_frequencies(cfg):
    d = cfg.head_dim
    inv = [cfg.theta ** (-(2.0 * i) / d) for i in range(d // 2)]
    s = cfg.scaling
    kind = None if s is None else s.get("rope_type", s.get("type"))
    if kind in (None, "default"):
        return inv
    if kind == "linear":
        return [f / s["factor"] for f in inv]
    if kind == "llama3":
        factor, lo, hi = s["factor"], s["low_freq_factor"], s["high_freq_factor"]
        old = s["original_max_position_embeddings"]
        out = []
        for f in inv:
            wavelength = 2 * math.pi / f
            if wavelength < old / hi:          # high frequency: untouched
                out.append(f)
            elif wavelength > old / lo:        # low frequency: interpolated by factor
                out.append(f / factor)
            else:                              # in between: blend the two
                smooth = (old / wavelength - lo) / (hi - lo)
                out.append((1 - smooth) * f / factor + smooth * f)
        return out
    raise SystemExit("unsupported rope type %r" % kind)


def rms_norm(x, weight, eps):
    return weight * (x / torch.sqrt((x * x).mean(dim=-1, keepdim=True) + eps))


def rotate(x, cos, sin):
    half = x.shape[-1] // 2
    # pairs element i with element i + hd/2: [x1, x2] -> [x1 cos - x2 sin, x2 cos + x1 sin]
    x1, x2 = x[..., :half], x[..., half:]
    return torch.cat([x1 * cos[..., :half] - x2 * sin[..., :half],
                      x2 * cos[..., half:] + x1 * sin[..., half:]], dim=-1)


def forward(cfg, w, input_ids, attention_mask):
    """input_ids, attention_mask: lists of lists (B, T). Returns logits (B, T, V) float64."""
    ids = torch.tensor(input_ids, dtype=torch.long)
    mask = torch.tensor(attention_mask, dtype=torch.long)
    bsz, seq = ids.shape
    positions = torch.clamp(torch.cumsum(mask, dim=1) - 1, min=0)              # (B, T)
    inv = torch.tensor(inverse_frequencies(cfg), dtype=torch.float64)
    angles = positions.double()[..., None] * inv[None, None, :]                 # (B, T, hd/2)
    angles = torch.cat([angles, angles], dim=-1)[:, None]                       # (B, 1, T, hd)
    cos, sin = torch.cos(angles), torch.sin(angles)

    i = torch.arange(seq)[:, None]
    j = torch.arange(seq)[None, :]
    visible = j <= i
    if cfg.window is not None:
        visible = visible & (i - j < cfg.window)
    visible = visible[None, None] & (mask[:, None, None, :] == 1)                # (B, 1, T, T)

    def lin(x, prefix, bias):
        y = x @ w[prefix + ".weight"].T
        return y + w[prefix + ".bias"] if bias else y

    h = w["model.embed_tokens.weight"][ids]                                    # (B, T, D)
    group = cfg.heads // cfg.kv_heads
    for layer in range(cfg.layers):
        p = "model.layers.%d." % layer
        x = rms_norm(h, w[p + "input_layernorm.weight"], cfg.eps)
        q = lin(x, p + "self_attn.q_proj", cfg.qkv_bias).view(bsz, seq, cfg.heads, cfg.head_dim).transpose(1, 2)
        k = lin(x, p + "self_attn.k_proj", cfg.qkv_bias).view(bsz, seq, cfg.kv_heads, cfg.head_dim).transpose(1, 2)
        v = lin(x, p + "self_attn.v_proj", cfg.qkv_bias).view(bsz, seq, cfg.kv_heads, cfg.head_dim).transpose(1, 2)
        q, k = rotate(q, cos, sin), rotate(k, cos, sin)
        k = k.repeat_interleave(group, dim=1)                                   # (B, nH, T, hd)
        v = v.repeat_interleave(group, dim=1)
        scores = (q @ k.transpose(-1, -2)) / math.sqrt(cfg.head_dim)            # (B, nH, T, T)
        scores = scores.masked_fill(~visible, float("-inf"))
        probs = torch.nan_to_num(torch.softmax(scores, dim=-1))                 # padding query rows -> 0
        ctx = (probs @ v).transpose(1, 2).reshape(bsz, seq, cfg.heads * cfg.head_dim)
        h = h + lin(ctx, p + "self_attn.o_proj", cfg.o_bias)
        x = rms_norm(h, w[p + "post_attention_layernorm.weight"], cfg.eps)
        gate = lin(x, p + "mlp.gate_proj", False)
        up = lin(x, p + "mlp.up_proj", False)
        h = h + lin(gate * torch.sigmoid(gate) * up, p + "mlp.down_proj", False)
    h = rms_norm(h, w["model.norm.weight"], cfg.eps)
    head = w["model.embed_tokens.weight"] if cfg.tied else w["lm_head.weight"]
    return h @ head.T


# ---------------------------------------------------------------- golden cases

def _tokens(n, mul, add):
    return [(k * mul + add) % 256 for k in range(n)]


def golden_cases():
    long_row = [257] + _tokens(38, 37, 11) + [258]                              # 40 tokens
    short_row = [257] + _tokens(21, 53, 7) + [258]                              # 23 tokens
    pad = 256
    return [
        {"name": "single-40", "input_ids": [long_row], "attention_mask": [[1] * 40]},
        {"name": "batch-left-padded", "input_ids": [long_row, [pad] * 17 + short_row],
         "attention_mask": [[1] * 40, [0] * 17 + [1] * 23]},
        {"name": "single-5", "input_ids": [[257, 72, 105, 33, 258]], "attention_mask": [[1] * 5]},
    ]


def cmd_golden(args):
    with open(os.path.join(args.model, "config.json")) as f:
        raw = json.load(f)
    cfg = Config(raw)
    weights = load_weights(args.model)
    with open(os.path.join(args.model, "model.safetensors"), "rb") as f:
        sha = hashlib.sha256(f.read()).hexdigest()
    cases = []
    for case in golden_cases():
        logits = forward(cfg, weights, case["input_ids"], case["attention_mask"])
        seq = logits.shape[1]
        positions = list(range(seq - args.last, seq))
        sliced = logits[:, positions, :]
        case = dict(case)
        case["positions"] = positions
        case["logits"] = [[[round(float(x), 6) for x in row] for row in pos] for pos in sliced.tolist()]
        cases.append(case)
    out = {"variant": args.variant, "generator": "src/test/python/llama_reference.py (float64)",
           "torch": torch.__version__, "config": raw, "weights_sha256": sha, "cases": cases}
    with open(args.out, "w") as f:
        json.dump(out, f, separators=(",", ":"))
        f.write("\n")
    print("wrote %s (%d bytes)" % (args.out, os.path.getsize(args.out)))


# ---------------------------------------------------------------- safetensors fixture

def cmd_fixture(args):
    os.makedirs(args.out, exist_ok=True)
    f32 = np.array([[0.1 * k - 0.55 for k in range(4)] for _ in range(3)], dtype=np.float32)
    f32 = f32 + np.arange(12, dtype=np.float32).reshape(3, 4) * np.float32(1.0 / 3.0)
    f16_src = np.array([1.0 / 3.0, -2.5e-5, 65504.0, 1e-7, -7.123456], dtype=np.float32)
    bf16_src = np.array([[1.0 / 3.0, -1.00390625, 3.14159265], [1e-20, -6.0e4, 0.0078125 + 1e-6]], dtype=np.float32)
    bf16_t = torch.from_numpy(bf16_src).to(torch.bfloat16)
    bf16_bits = bf16_t.view(torch.int16).numpy().astype("<i2")
    f16 = f16_src.astype(np.float16)
    i64 = np.array([0, -1, 2 ** 40 + 7, -(2 ** 62)], dtype=np.int64)
    u8 = np.array([0, 1, 127, 128, 254, 255], dtype=np.uint8)
    scalar = np.array(2.5, dtype=np.float32)
    # header in an order Java's writer would not choose, data not sorted either
    tensors = [
        ("u8.bytes", "U8", [6], u8.astype("<u1").tobytes()),
        ("f32.matrix", "F32", [3, 4], f32.astype("<f4").tobytes()),
        ("bf16.matrix", "BF16", [2, 3], bf16_bits.tobytes()),
        ("i64.ids", "I64", [4], i64.astype("<i8").tobytes()),
        ("f16.vector", "F16", [5], f16.astype("<f2").tobytes()),
        ("f32.scalar", "F32", [], scalar.astype("<f4").tobytes()),
    ]
    header = {"__metadata__": {"format": "pt", "writer": "llama_reference.py"}}
    data = b""
    for name, dtype, shape, raw in tensors:
        header[name] = {"dtype": dtype, "shape": shape, "data_offsets": [len(data), len(data) + len(raw)]}
        data += raw
    hjson = json.dumps(header).encode("utf-8")
    hjson += b" " * ((8 - len(hjson) % 8) % 8)
    path = os.path.join(args.out, "python-written.safetensors")
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(hjson)) + hjson + data)
    expected = {
        "metadata": header["__metadata__"],
        "f32.matrix": {"shape": [3, 4], "values": [float(x) for x in f32.ravel()]},
        "f16.vector": {"shape": [5], "source": [float(x) for x in f16_src],
                       "values": [float(x) for x in f16.astype(np.float32)]},
        "bf16.matrix": {"shape": [2, 3], "source": [float(x) for x in bf16_src.ravel()],
                        "values": [float(x) for x in bf16_t.float().numpy().ravel()]},
        "i64.ids": {"shape": [4], "values": [int(x) for x in i64]},
        "u8.bytes": {"shape": [6], "values": [int(x) for x in u8]},
        "f32.scalar": {"shape": [], "values": [float(scalar)]},
    }
    with open(os.path.join(args.out, "python-written.json"), "w") as f:
        json.dump(expected, f, indent=1)
        f.write("\n")
    print("wrote %s (%d bytes)" % (path, os.path.getsize(path)))


def cmd_logits(args):
    with open(os.path.join(args.model, "config.json")) as f:
        cfg = Config(json.load(f))
    ids = [int(t) for t in args.tokens.split(",")]
    logits = forward(cfg, load_weights(args.model), [ids], [[1] * len(ids)])
    json.dump({"logits": [float(x) for x in logits[0, -1]]}, sys.stdout)
    print()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    g = sub.add_parser("golden")
    g.add_argument("--model", required=True)
    g.add_argument("--variant", required=True)
    g.add_argument("--out", required=True)
    g.add_argument("--last", type=int, default=3)
    f = sub.add_parser("fixture")
    f.add_argument("--out", required=True)
    lg = sub.add_parser("logits")
    lg.add_argument("--model", required=True)
    lg.add_argument("--tokens", required=True)
    args = parser.parse_args()
    torch.set_grad_enabled(False)
    {"golden": cmd_golden, "fixture": cmd_fixture, "logits": cmd_logits}[args.command](args)


if __name__ == "__main__":
    main()
