#!/usr/bin/env python3
"""Independent reference values for io.tuneforge.tuning.metrics (MetricsReferenceTest).

Written from the published algorithms, not from the Java code:
  * BLEU: sacreBLEU 2.x -- Tokenizer13a / TokenizerRegexp regexes, BLEU.compute_bleu with
    smooth_method='exp', sentence_bleu(use_effective_order=True), corpus_bleu(effective order off),
    closest reference length. sacreBLEU itself is not installable here (no PyPI), so its code paths
    are re-stated below; the CJK step puts every CJK character between spaces before 13a.
  * ROUGE: Lin 2004 -- clipped n-gram counts (ROUGE-N) and sentence-level LCS (ROUGE-L), F1 with
    beta = 1, on tokens = single CJK characters and lower-cased runs of letters/digits.

Run:  python3 libs/tuning-core/src/test/python/metrics_reference.py
and paste the printed Java rows into MetricsReferenceTest.CASES.
"""
import math
import re
from collections import Counter

# ---- sacreBLEU 13a -------------------------------------------------------------------------
_RE = [
    (re.compile(r'([\{-\~\[-\` -\&\(-\+\:-\@\/])'), r' \1 '),
    (re.compile(r'([^0-9])([\.,])'), r'\1 \2 '),
    (re.compile(r'([\.,])([^0-9])'), r' \1 \2'),
    (re.compile(r'([0-9])(-)'), r'\1 \2 '),
]


def tok_13a(line):
    line = line.replace('<skipped>', '').replace('-\n', '').replace('\n', ' ')
    if '&' in line:
        line = line.replace('&quot;', '"').replace('&amp;', '&').replace('&lt;', '<').replace('&gt;', '>')
    line = ' ' + line + ' '
    for pattern, repl in _RE:
        line = pattern.sub(repl, line)
    return ' '.join(line.split())


def _is_cjk(ch):
    o = ord(ch)
    return (0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF or 0x3040 <= o <= 0x30FF
            or 0xAC00 <= o <= 0xD7AF or 0x3000 <= o <= 0x303F or 0xFF00 <= o <= 0xFFEF)


def tok_bleu(line):
    if any(_is_cjk(c) for c in line):
        line = ''.join(' ' + c + ' ' if _is_cjk(c) else c for c in line.strip())
    return tok_13a(line).split()


def _ngrams(tokens, n):
    return Counter(tuple(tokens[i:i + n]) for i in range(len(tokens) - n + 1))


def bleu_stats(hyp, refs):
    h = tok_bleu(hyp)
    ref_toks = [tok_bleu(r) for r in refs]
    closest = None
    for r in ref_toks:
        if closest is None or abs(len(h) - len(r)) < abs(len(h) - closest) or \
                (abs(len(h) - len(r)) == abs(len(h) - closest) and len(r) < closest):
            closest = len(r)
    correct, total = [0] * 4, [0] * 4
    for n in range(1, 5):
        max_ref = Counter()
        for r in ref_toks:
            for g, c in _ngrams(r, n).items():
                max_ref[g] = max(max_ref[g], c)
        for g, c in _ngrams(h, n).items():
            correct[n - 1] += min(c, max_ref[g])
        total[n - 1] = max(0, len(h) - n + 1)
    return correct, total, len(h), closest


def compute_bleu(correct, total, sys_len, ref_len, effective_order):
    if sys_len < ref_len:
        bp = math.exp(1 - ref_len / sys_len) if sys_len > 0 else 0.0
    else:
        bp = 1.0
    precisions = [0.0] * 4
    if not any(correct):
        return 0.0
    smooth_mteval = 1.0
    eff_order = 4
    for n in range(1, 5):
        if total[n - 1] == 0:
            break
        if effective_order:
            eff_order = n
        if correct[n - 1] == 0:
            smooth_mteval *= 2
            precisions[n - 1] = 100.0 / (smooth_mteval * total[n - 1])
        else:
            precisions[n - 1] = 100.0 * correct[n - 1] / total[n - 1]
    logs = [math.log(p) if p > 0 else -9999999999 for p in precisions[:eff_order]]
    return bp * math.exp(sum(logs) / eff_order)


def sentence_bleu(hyp, refs):
    c, t, h, r = bleu_stats(hyp, refs)
    return compute_bleu(c, t, h, r, True)


def corpus_bleu(hyps, ref_streams):
    C, T, H, R = [0] * 4, [0] * 4, 0, 0
    for i, hyp in enumerate(hyps):
        c, t, h, r = bleu_stats(hyp, [s[i] for s in ref_streams])
        C = [a + b for a, b in zip(C, c)]
        T = [a + b for a, b in zip(T, t)]
        H += h
        R += r
    return compute_bleu(C, T, H, R, False)


# ---- ROUGE -------------------------------------------------------------------------------
_CJK_LETTERS = '\u3400-\u4dbf\u4e00-\u9fff\u3040-\u30ff\uac00-\ud7af'
_ROUGE_TOKEN = re.compile('[' + _CJK_LETTERS + ']|[^\\W_' + _CJK_LETTERS + ']+')


def tok_rouge(text):
    return _ROUGE_TOKEN.findall(text.lower())


def _f1(overlap, p_len, r_len):
    if p_len == 0 or r_len == 0:
        return 0.0
    p, r = overlap / p_len, overlap / r_len
    return 0.0 if p + r == 0 else 2 * p * r / (p + r)


def rouge_n(pred, ref, n):
    p, r = _ngrams(tok_rouge(pred), n), _ngrams(tok_rouge(ref), n)
    overlap = sum(min(c, r[g]) for g, c in p.items())
    return _f1(overlap, sum(p.values()), sum(r.values()))


def _lcs(a, b):
    table = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            table[i][j] = table[i - 1][j - 1] + 1 if a[i - 1] == b[j - 1] else max(table[i - 1][j], table[i][j - 1])
    return table[len(a)][len(b)]


def rouge_l(pred, ref):
    p, r = tok_rouge(pred), tok_rouge(ref)
    return _f1(_lcs(p, r), len(p), len(r))


CASES = [
    ("The cat sat on the mat.", "The cat is sitting on the mat."),
    ("It wasn't surprising, was it?", "It was not surprising; was it?"),
    ("Prices rose 3.5% to $1,200 in 2019-2020.", "Prices rose by 3.5 % to $1,200 in 2019 - 2020."),
    ("Tom &amp; Jerry said \"hi\" (twice).", "Tom & Jerry said \"hello\" twice."),
    ("the the the the", "the cat the mat"),
    ("我爱北京天安门。", "我爱北京。"),
    ("今天天气很好，我们去公园散步吧！", "今天天气不错，我们去公园走走。"),
    ("用GPT-4写代码很快", "用 GPT-4 写代码非常快"),
    ("東京は日本の首都です。", "日本の首都は東京です。"),
    ("", "a reference"),
    ("same answer here", "same answer here"),
    ("alpha beta", "gamma delta"),
]


def java(s):
    return '"' + s.replace('\\', '\\\\').replace('"', '\\"') + '"'


if __name__ == '__main__':
    for pred, ref in CASES:
        print('            {%s, %s, %.10f, %.10f, %.10f, %.10f},' % (
            java(pred), java(ref), 100 * rouge_n(pred, ref, 1), 100 * rouge_n(pred, ref, 2),
            100 * rouge_l(pred, ref), sentence_bleu(pred, [ref])))
    print('corpus BLEU of the cases: %.10f' % corpus_bleu([p for p, _ in CASES], [[r for _, r in CASES]]))
    sys_ = ['The dog bit the man.', "It wasn't surprising.", 'The man had just bitten him.']
    refs = [['The dog bit the man.', 'It was not unexpected.', 'The man bit him first.'],
            ['The dog had bit the man.', 'No one was surprised.', 'The man had bitten the dog.']]
    print('sacreBLEU README example: %.10f' % corpus_bleu(sys_, refs))
    for pred, ref in CASES[:4]:
        print('13a', java(pred), '->', java(tok_13a(pred)))
