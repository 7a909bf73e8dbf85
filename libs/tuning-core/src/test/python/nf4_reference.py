#!/usr/bin/python3
"""Independent NF4 / double-quantization reference for TuneForge's io.tuneforge.tuning.quant (QLoRA base weights).

Written from the QLoRA paper (Dettmers et al., 2023, arXiv:2305.14314) and bitsandbytes' documented
behaviour, in PyTorch only (no bitsandbytes, no safetensors package). It shares no code with the Java side.

What it does:
  1. NF4 code book: bitsandbytes' published table (get_4bit_type('nf4')), and the same book rebuilt from the
     paper's construction (create_normal_map(offset=0.9677083, use_extra_value=True): normal quantiles via
     torch.special.ndtri in float64) to show the table is what the construction gives.
  2. bitsandbytes' 8-bit dynamic map (create_dynamic_map(signed=True, max_exponent_bits=7, total_bits=8)), built
     with torch's float32 linspace as bitsandbytes builds it.
  3. Two seeded tensors, quantized as bitsandbytes' quantize_4bit(quant_type='nf4', blocksize=64) does:
       absmax = max |x| per block of 64 of the flattened tensor (last block shorter),
       s = clamp(x * (1 / absmax), -1, 1) in float32,
       code = nearest NF4 value, decided against the float32 midpoints (bitsandbytes' dQuantizeNF4 thresholds,
              x > threshold goes up: a tie takes the lower code); an all-zero block gets the code of 0.0,
       packed two per byte, first element in the high nibble,
       dequant = NF4[code] * absmax (float32).
     then double-quantizes the absmax (compress_statistics=True):
       offset = mean(absmax) (float64 mean, rounded to float32), c = absmax - offset,
       per block of 256: a = max |c|, code8 = argmin |clamp(c * (1 / a)) - dynamic_map|,
       absmax' = dynamic_map[code8] * a + offset.
     Tensor "a": randn(130, 128) * 0.02 (260 blocks: two double-quant blocks, the second partial).
     Tensor "b": 7 x 37 = 259 values (odd: the last byte is padded; last block has 3 values) with special
     blocks: block 1 all zeros; block 2 has absmax 1.0 and holds every NF4 threshold exactly (ties) and every
     code value; blocks 0, 3, 4 normal (block 3 scaled by 5).
  4. Writes nf4_golden.safetensors (F32 / U8, __metadata__ with the seed and the measured figures).

Command (Debian's torch: /usr/bin/python3), from the repository root:
  /usr/bin/python3 libs/tuning-core/src/test/python/nf4_reference.py \
      --out libs/tuning-core/src/test/resources/golden/nf4/nf4_golden.safetensors
"""
import argparse
import json
import struct

import torch

SEED = 1234
BLOCK = 64
DQ_BLOCK = 256

# bitsandbytes get_4bit_type('nf4') (QLoRA's NF4), float32 values as published
NF4_PUBLISHED = [
    -1.0, -0.6961928009986877, -0.5250730514526367, -0.39491748809814453,
    -0.28444138169288635, -0.18477343022823334, -0.09105003625154495, 0.0,
    0.07958029955625534, 0.16093020141124725, 0.24611230194568634, 0.33791524171829224,
    0.44070982933044434, 0.5626170039176941, 0.7229568362236023, 1.0,
]
# the decision-tree thresholds of bitsandbytes' dQuantizeNF4 kernel, ascending, as published
NF4_THRESHOLDS_PUBLISHED = [
    -0.8480964004993439, -0.6106329262256622, -0.4599952697753906, -0.33967943489551544,
    -0.23460740596055984, -0.13791173323988914, -0.045525018125772476, 0.03979014977812767,
    0.1202552504837513, 0.2035212516784668, 0.2920137718319893, 0.3893125355243683,
    0.5016634166240692, 0.6427869200706482, 0.8614784181118011,
]


def nf4_from_construction(offset=0.9677083):
    """The paper's NormalFloat: 8 positive and 7 negative normal quantiles plus 0, scaled to [-1, 1]."""
    positive = torch.special.ndtri(torch.linspace(offset, 0.5, 9)[:-1].double()).tolist()
    negative = (-torch.special.ndtri(torch.linspace(offset, 0.5, 8)[:-1].double())).tolist()
    values = sorted(positive + [0.0] + negative)
    top = max(values)
    return torch.tensor([v / top for v in values], dtype=torch.float64)


def dynamic_map():
    """bitsandbytes' signed dynamic 8-bit map: 2^k midpoints of linspace(0.1, 1) per decade 10^(k-6), both signs."""
    data = []
    for k in range(7):
        bounds = torch.linspace(0.1, 1, 2 ** k + 1, dtype=torch.float32)
        means = (bounds[:-1] + bounds[1:]) / 2.0
        data += ((10 ** (k - 6)) * means).tolist()
        data += (-(10 ** (k - 6)) * means).tolist()
    data += [0.0, 1.0]
    assert len(data) == 256
    return torch.tensor(sorted(data), dtype=torch.float32)


def blockwise_absmax(flat, block):
    n = flat.numel()
    blocks = (n + block - 1) // block
    padded = torch.zeros(blocks * block, dtype=torch.float32)
    padded[:n] = flat.abs()
    return padded.view(blocks, block).max(dim=1).values


def scaled(flat, absmax, block):
    n = flat.numel()
    inv = torch.where(absmax > 0, 1.0 / absmax, torch.zeros_like(absmax))  # float32 reciprocal
    per = inv.repeat_interleave(block)[:n]
    return torch.clamp(flat * per, -1.0, 1.0)


def quantize_nf4(x, thresholds, code):
    flat = x.reshape(-1).float()
    absmax = blockwise_absmax(flat, BLOCK)
    s = scaled(flat, absmax, BLOCK)
    codes = torch.bucketize(s, thresholds, right=False)  # count of thresholds < s: "s > t goes up"
    zero_block = (absmax == 0).repeat_interleave(BLOCK)[: flat.numel()]
    codes = torch.where(zero_block, torch.full_like(codes, 7), codes)
    # cross-check: nearest by distance (bitsandbytes' torch backend uses argmin); disagreements only on exact ties
    nearest = torch.argmin((s.unsqueeze(-1) - code.unsqueeze(0)).abs(), dim=-1)
    nearest = torch.where(zero_block, torch.full_like(nearest, 7), nearest)
    disagree = int((nearest != codes).sum())
    deq = code[codes] * absmax.repeat_interleave(BLOCK)[: flat.numel()]
    padded = codes if codes.numel() % 2 == 0 else torch.cat([codes, torch.tensor([7])])
    packed = (padded[0::2] << 4) | padded[1::2]
    return packed.to(torch.uint8), absmax, codes, deq.view(x.shape), disagree


def double_quantize(absmax, dmap):
    offset = absmax.double().mean().float()
    c = absmax - offset
    a = blockwise_absmax(c, DQ_BLOCK)
    s = scaled(c, a, DQ_BLOCK)
    codes = torch.argmin((s.unsqueeze(-1) - dmap.unsqueeze(0)).abs(), dim=-1)
    back = dmap[codes] * a.repeat_interleave(DQ_BLOCK)[: c.numel()] + offset
    return codes.to(torch.uint8), a, offset.reshape(1), back


def tensor_b(gen, thresholds, code):
    b = torch.randn(259, generator=gen, dtype=torch.float32) * 0.02
    b[64:128] = 0.0                                                       # block 1: all zeros
    special = torch.cat([torch.tensor([1.0]), thresholds, code, -thresholds[:16]])[:64]
    block2 = torch.zeros(64)
    block2[: special.numel()] = special
    b[128:192] = block2                                                   # block 2: absmax 1, exact ties
    b[192:256] *= 5.0                                                     # block 3: larger scale
    return b.view(7, 37)


def write_safetensors(path, tensors, metadata):
    """tensors: list of (name, tensor float32 or uint8). Little-endian, offsets in list order."""
    header = {"__metadata__": metadata}
    data = b""
    for name, t in tensors:
        t = t.contiguous()
        if t.dtype == torch.uint8:
            raw, dtype = bytes(t.flatten().tolist()), "U8"
        else:
            raw, dtype = struct.pack("<%df" % t.numel(), *t.float().flatten().tolist()), "F32"
        header[name] = {"dtype": dtype, "shape": list(t.shape), "data_offsets": [len(data), len(data) + len(raw)]}
        data += raw
    hjson = json.dumps(header, separators=(",", ":")).encode("utf-8")
    hjson += b" " * ((8 - len(hjson) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(hjson)) + hjson + data)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()

    code = torch.tensor(NF4_PUBLISHED, dtype=torch.float32)
    thresholds = torch.tensor(NF4_THRESHOLDS_PUBLISHED, dtype=torch.float32)
    constructed = nf4_from_construction()
    construction_diff = float((constructed - code.double()).abs().max())
    midpoints = ((code[:-1].double() + code[1:].double()) / 2).float()
    assert torch.equal(midpoints, thresholds), "published thresholds are not the float32 midpoints"
    assert construction_diff < 1e-6, "construction differs from the published table by %g" % construction_diff
    dmap = dynamic_map()

    gen = torch.Generator().manual_seed(SEED)
    a = torch.randn(130, 128, generator=gen, dtype=torch.float32) * 0.02
    b = tensor_b(gen, thresholds, code)

    out, meta = [("nf4_code", code), ("nf4_thresholds", thresholds), ("nf4_constructed", constructed.float()),
                 ("dynamic_map", dmap)], {"seed": str(SEED), "block": str(BLOCK), "dq_block": str(DQ_BLOCK),
                                          "nf4_construction_max_abs_diff": "%.3g" % construction_diff}
    for name, x in (("a", a), ("b", b)):
        packed, absmax, codes, deq, disagree = quantize_nf4(x, thresholds, code)
        q8, scales, offset, back = double_quantize(absmax, dmap)
        rel = ((back - absmax).abs() / absmax.clamp_min(1e-30))[absmax > 0]
        meta[name + ".argmin_disagreements"] = str(disagree)
        meta[name + ".dq_mean_rel_err"] = "%.3g" % float(rel.mean())
        meta[name + ".dq_max_rel_err"] = "%.3g" % float(rel.max())
        out += [(name + ".input", x), (name + ".codes", packed), (name + ".absmax", absmax),
                (name + ".dequant", deq), (name + ".dq.codes", q8), (name + ".dq.scales", scales),
                (name + ".dq.offset", offset), (name + ".dq.absmax", back)]
        print(name, "shape", tuple(x.shape), "blocks", absmax.numel(), "argmin disagreements", disagree,
              "dq rel err mean %.3g max %.3g" % (float(rel.mean()), float(rel.max())))
    print("nf4 construction vs published: max abs diff %.3g" % construction_diff)
    write_safetensors(args.out, out, meta)


if __name__ == "__main__":
    main()
