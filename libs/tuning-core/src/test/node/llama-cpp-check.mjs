// Independent reader for TuneForge's GGUF export: loads a GGUF file with llama.cpp (node-llama-cpp's prebuilt
// CPU binary, never downloaded or built here) and prints, as one JSON line on stdout:
//   {"logits": [...], "greedy": [...], "vocabSize": n, "eogTokens": [...]}
// logits: llama.cpp's next-token logits after the prompt ids; greedy: `steps` tokens chosen by argmax of
// llama.cpp's logits at each step (stopping after an end-of-generation token, as llama.cpp defines them).
// textTokens (when TEXT is given): llama.cpp's tokenization of TEXT with special tokens parsed, no BOS added.
// Usage: node llama-cpp-check.mjs FILE.gguf '[ids...]' STEPS [TEXT]
import {getLlama, LlamaLogLevel} from "node-llama-cpp";

const [modelPath, idsJson, stepsArg, text] = process.argv.slice(2);
if (!modelPath || !idsJson) {
    console.error("usage: node llama-cpp-check.mjs FILE.gguf '[token ids]' [steps]");
    process.exit(2);
}
const prompt = JSON.parse(idsJson);
const steps = Number(stepsArg ?? 8);

const llama = await getLlama({
    gpu: false, build: "never", usePrebuiltBinaries: true, skipDownload: true, progressLogs: false,
    logLevel: LlamaLogLevel.error, maxThreads: 1
});
const model = await llama.loadModel({modelPath, gpuLayers: 0});
// f32 key/value cache (llama.cpp's default is f16, which alone moves logits by ~1e-4) and no flash attention,
// so that an f32 GGUF is computed in f32 throughout.
const context = await model.createContext({
    contextSize: 128, batchSize: 64, threads: 1, flashAttention: false,
    experimentalKvCacheKeyType: "F32", experimentalKvCacheValueType: "F32"
});
const sequence = context.getSequence();
let vocabSize = 0;

/** Evaluates ids (continuing the sequence) and returns the next-token logits as a dense array. */
async function next(ids) {
    const input = ids.map((t, i) => i === ids.length - 1 ? [t, {generateNext: {logits: true}}] : t);
    const out = await sequence.controlledEvaluate(input);
    const map = out[ids.length - 1]?.next?.logits;
    if (!map) {
        throw new Error("llama.cpp returned no logits for the last input token");
    }
    vocabSize = map.size;
    const dense = new Array(vocabSize).fill(null);
    for (const [token, value] of map) {
        dense[token] = value;
    }
    return dense;
}

function argmax(values) {
    let best = 0;
    for (let i = 1; i < values.length; i++) {
        if (values[i] > values[best]) {
            best = i;
        }
    }
    return best;
}

const logits = await next(prompt);
const greedy = [];
let current = logits;
for (let s = 0; s < steps; s++) {
    const token = argmax(current);
    greedy.push(token);
    if (model.isEogToken(token) || s === steps - 1) {
        break;
    }
    current = await next([token]);
}
const eogTokens = [];
for (let t = 0; t < vocabSize; t++) {
    if (model.isEogToken(t)) {
        eogTokens.push(t);
    }
}
const textTokens = text === undefined ? null : Array.from(model.tokenize(text, true));
process.stdout.write(JSON.stringify({logits, greedy, vocabSize, eogTokens, textTokens}) + "\n");
await context.dispose();
await model.dispose();
await llama.dispose();
