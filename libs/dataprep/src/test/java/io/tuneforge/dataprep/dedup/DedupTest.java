package io.tuneforge.dataprep.dedup;

import io.tuneforge.dataprep.PipelineRuns;
import io.tuneforge.dataprep.PipelineRuns.Outcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;

import static io.tuneforge.dataprep.PipelineRuns.jsonl;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Exact and near-duplicate removal, in English and Chinese, and the parts they are made of. */
class DedupTest {

    private static final String EN = "Machine learning is a field of study in artificial intelligence concerned with "
            + "the development of statistical algorithms that can learn from data and generalize to unseen data, and "
            + "thus perform tasks without explicit instructions. Advances in deep learning have allowed neural "
            + "networks to surpass many previous approaches in performance.";
    private static final String ZH = "机器学习是人工智能的一个分支，研究如何让计算机从数据中自动学习规律，并利用这些规律对未知数据进行预测。"
            + "近年来，深度学习的进展使神经网络在图像识别、语音识别和自然语言处理等任务上超越了许多传统方法，"
            + "成为当今人工智能研究中最活跃的方向之一。";

    @TempDir
    Path tmp;

    private static String rec(String instruction, String output) {
        return "{\"instruction\": \"" + instruction + "\", \"output\": \"" + output + "\"}";
    }

    @Test
    void exactDuplicatesIgnoreCaseAndWhitespaceAndPointAtTheKeptLine() throws Exception {
        Outcome o = PipelineRuns.run(PipelineRuns.settings(tmp).nearDedup(false).build(), jsonl(
                rec("What is AI?", "Artificial   intelligence."),
                rec("Something else", "Entirely."),
                rec("what is ai?", "ARTIFICIAL intelligence."),
                rec("What is AI?\\n", "Artificial\\nintelligence.")), tmp.resolve("out"));
        assertEquals(2, o.train().size());
        assertEquals("exact_duplicate", o.reason(3));
        assertEquals(1, o.rejectedLine(3).get("keptLine").asLong());
        assertEquals(1, o.rejectedLine(4).get("keptLine").asLong());
        assertEquals(2, o.manifest().at("/dedup/exactDuplicates").asInt());
    }

    @Test
    void fieldBoundariesAndRolesCountForExactDuplicates() throws Exception {
        Outcome o = PipelineRuns.run(PipelineRuns.settings(tmp).nearDedup(false).build(), jsonl(
                rec("ab", "c"), rec("a", "bc")), tmp.resolve("out"));
        assertEquals(2, o.train().size());
    }

    @Test
    void englishAndChineseNearDuplicatesAreCaughtButDifferentTextsAreNot() throws Exception {
        String enEdited = EN.replace("statistical algorithms", "statistical methods").replace("surpass", "exceed");
        // Chinese has no spaces, so each edited character changes 5 shingles: one edit of a 118-character text
        // leaves J = 0.91 (two edits 0.83, below the threshold)
        String zhEdited = ZH.replace("最活跃", "最热门");
        String enOther = "The French Revolution was a period of political and societal change in France that began "
                + "with the Estates General of 1789 and ended with the coup of 18 Brumaire in November 1799.";
        String zhOther = "长城是中国古代的军事防御工程，修筑历史可上溯到西周时期，现存的长城遗迹主要为明代修建，东起山海关，西至嘉峪关。";
        Outcome o = PipelineRuns.run(PipelineRuns.settings(tmp).build(), jsonl(
                rec("Define machine learning.", EN),
                rec("解释机器学习。", ZH),
                rec("Define machine learning.", enEdited),
                rec("解释机器学习。", zhEdited),
                rec("Define machine learning.", enOther),
                rec("解释机器学习。", zhOther)), tmp.resolve("out"));
        assertEquals(4, o.train().size(), o.rejected().toString());
        assertEquals("near_duplicate", o.reason(3));
        assertEquals(1, o.rejectedLine(3).get("keptLine").asLong());
        assertEquals("near_duplicate", o.reason(4));
        assertEquals(2, o.rejectedLine(4).get("keptLine").asLong());
        assertTrue(o.rejectedLine(4).at("/reasons/0/message").asText().contains("estimated Jaccard similarity 0."));
        assertEquals(11, o.manifest().at("/dedup/bands").asInt());
    }

    @Test
    void theThresholdDecides() throws Exception {
        String edited = EN.replace("statistical algorithms", "statistical methods").replace("surpass", "exceed");
        Outcome strict = PipelineRuns.run(PipelineRuns.settings(tmp).nearDupThreshold(0.99).build(),
                jsonl(rec("q", EN), rec("q", edited)), tmp.resolve("strict"));
        assertEquals(2, strict.train().size());
        Outcome off = PipelineRuns.run(PipelineRuns.settings(tmp).nearDedup(false).build(),
                jsonl(rec("q", EN), rec("q", edited)), tmp.resolve("off"));
        assertEquals(2, off.train().size());
    }

    @Test
    void minHashEstimatesJaccardOfCharacterShingles() {
        MinHasher hasher = new MinHasher(256, 5, 1);
        String a = EN;
        String b = EN.replace("deep learning", "deep nets").replace("neural networks", "neural models");
        double exact = jaccard(shingles(a, 5), shingles(b, 5));
        double estimate = MinHasher.similarity(hasher.signature(a), hasher.signature(b));
        assertEquals(exact, estimate, 0.1, "exact " + exact + " vs estimate " + estimate);
        assertEquals(1.0, MinHasher.similarity(hasher.signature(a), hasher.signature(a)));
        assertTrue(MinHasher.similarity(hasher.signature(EN), hasher.signature(ZH)) < 0.05);
        assertEquals(null, hasher.signature(""));
    }

    @Test
    void lshBandsAreChosenForTheThreshold() {
        LshParameters p = LshParameters.forThreshold(0.85, 128);
        assertEquals(new LshParameters(11, 11), p);
        assertTrue(p.candidateProbability(0.9) > 0.95);
        assertTrue(p.candidateProbability(0.5) < 0.01);
        LshParameters loose = LshParameters.forThreshold(0.5, 128);
        assertTrue(loose.rows() < p.rows(), "a lower threshold needs shorter bands: " + loose);
    }

    @Test
    void exactIndexKeepsEveryKeyAcrossGrowth() {
        ExactDedupIndex index = new ExactDedupIndex();
        Random random = new Random(3);
        byte[][] keys = new byte[5000][32];
        for (int i = 0; i < keys.length; i++) {
            random.nextBytes(keys[i]);
            assertEquals(-1, index.putIfAbsent(keys[i], i + 1));
        }
        for (int i = 0; i < keys.length; i++) {
            assertEquals(i + 1, index.get(keys[i]));
            assertEquals(i + 1, index.putIfAbsent(keys[i], 99_999));
        }
        assertEquals(-1, index.get(new byte[32]));
    }

    @Test
    void nearIndexVerifiesCandidatesAndReadsSignaturesBackFromDisk() {
        MinHasher hasher = new MinHasher(128, 5, 7);
        try (NearDuplicateIndex index = new NearDuplicateIndex(0.85, 128, LshParameters.forThreshold(0.85, 128), tmp)) {
            Random random = new Random(11);
            // enough distinct records to push early signatures out of the in-memory tail onto disk
            for (int i = 0; i < 3000; i++) {
                assertEquals(null, index.checkAndAdd(hasher.signature(randomText(random, 200)), i + 1));
            }
            assertEquals(3000, index.size());
            NearDuplicateIndex.Match m = index.checkAndAdd(hasher.signature(EN), 3001);
            assertEquals(null, m);
            m = index.checkAndAdd(hasher.signature(EN.replace("surpass", "exceed")), 3002);
            assertEquals(3001, m.keptLine());
        }
    }

    private static String randomText(Random random, int length) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < length; i++) {
            s.append((char) ('a' + random.nextInt(26)));
        }
        return s.toString();
    }

    private static Set<String> shingles(String s, int n) {
        Set<String> out = new HashSet<>();
        String t = DedupKeys.normalize(s);
        for (int i = 0; i + n <= t.length(); i++) {
            out.add(t.substring(i, i + n));
        }
        return out;
    }

    private static double jaccard(Set<String> a, Set<String> b) {
        Set<String> inter = new HashSet<>(a);
        inter.retainAll(b);
        Set<String> union = new HashSet<>(a);
        union.addAll(b);
        return (double) inter.size() / union.size();
    }

    /**
     * The near-duplicate index's heap per kept record at the pipeline's defaults (0.85, 128 permutations: 11 bands):
     * 100,000 distinct records must fit in 300 bytes each (it took about 510 when each entry also stored its record
     * id and the bucket table doubled at half full), and every one of them is kept.
     */
    @Test
    void nearDuplicateIndexHoldsAKeptRecordInUnder300BytesOfHeap() {
        LshParameters lsh = LshParameters.forThreshold(0.85, 128);
        Random random = new Random(7);
        int records = 100_000;
        try (NearDuplicateIndex index = new NearDuplicateIndex(0.85, 128, lsh, tmp)) {
            int[] signature = new int[128];
            for (int line = 1; line <= records; line++) {
                for (int i = 0; i < signature.length; i++) {
                    signature[i] = random.nextInt();
                }
                assertEquals(null, index.checkAndAdd(signature, line), "line " + line + " is no near duplicate");
            }
            assertEquals(records, index.size());
            double perRecord = (double) index.heapBytes() / records;
            assertTrue(perRecord < 300, lsh.bands() + " bands: " + perRecord + " bytes of heap per kept record");
        }
    }
}
