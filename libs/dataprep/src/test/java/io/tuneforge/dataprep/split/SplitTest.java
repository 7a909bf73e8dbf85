package io.tuneforge.dataprep.split;

import com.fasterxml.jackson.databind.JsonNode;
import io.tuneforge.dataprep.PipelineException;
import io.tuneforge.dataprep.PipelineRuns;
import io.tuneforge.dataprep.PipelineRuns.Outcome;
import io.tuneforge.dataprep.PipelineSettings;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The split is a function of the records and the seed only. */
class SplitTest {

    @TempDir
    static Path tmp;

    static List<String> lines = new ArrayList<>();

    @BeforeAll
    static void dataset() {
        Random random = new Random(5);
        String[] sources = {"web", "books", "forum"};
        for (int i = 0; i < 600; i++) {
            String source = sources[i % 10 < 6 ? 0 : i % 10 < 9 ? 1 : 2];   // 60% / 30% / 10%
            lines.add("{\"instruction\": \"Question " + i + " about " + Long.toHexString(random.nextLong())
                    + "\", \"output\": \"Answer " + i + "\", \"source\": \"" + source + "\"}");
        }
        // some duplicates and a bad line, so rejected.jsonl has content too
        lines.add(lines.get(3));
        lines.add("{broken");
    }

    private static Outcome run(PipelineSettings.Builder settings, List<String> input, String dir) throws Exception {
        return PipelineRuns.run(settings.tempDir(tmp.resolve("work")).build(), String.join("\n", input) + "\n",
                tmp.resolve(dir));
    }

    private static Set<String> instructions(List<JsonNode> records) {
        return records.stream().map(r -> r.get("instruction").asText()).collect(Collectors.toSet());
    }

    @Test
    void sameSeedGivesIdenticalFilesDifferentSeedADifferentSplit() throws Exception {
        Outcome a = run(PipelineSettings.builder().seed(7).evalRatio(0.1).threads(1), lines, "a");
        Outcome b = run(PipelineSettings.builder().seed(7).evalRatio(0.1).threads(1), lines, "b");
        Outcome c = run(PipelineSettings.builder().seed(8).evalRatio(0.1).threads(1), lines, "c");
        for (String f : new String[] {"train.jsonl", "eval.jsonl", "rejected.jsonl"}) {
            assertArrayEquals(a.bytes(f), b.bytes(f), f);
        }
        assertEquals(60, a.eval().size());
        assertEquals(540, a.train().size());
        assertEquals(60, c.eval().size());
        assertFalse(instructions(a.eval()).equals(instructions(c.eval())), "another seed, another eval set");
        assertEquals(a.manifest().at("/files/train.jsonl/sha256"), b.manifest().at("/files/train.jsonl/sha256"));
    }

    @Test
    void threadCountDoesNotChangeAnyOutputByte() throws Exception {
        Outcome one = run(PipelineSettings.builder().threads(1), lines, "t1");
        Outcome three = run(PipelineSettings.builder().threads(3), lines, "t3");
        for (String f : new String[] {"train.jsonl", "eval.jsonl", "rejected.jsonl"}) {
            assertArrayEquals(one.bytes(f), three.bytes(f), f);
        }
    }

    @Test
    void theEvalSetDependsOnTheRecordsNotOnTheirOrder() throws Exception {
        List<String> shuffled = new ArrayList<>(lines.subList(0, 600));
        Collections.shuffle(shuffled, new Random(1));
        Outcome inOrder = run(PipelineSettings.builder(), lines.subList(0, 600), "ordered");
        Outcome reordered = run(PipelineSettings.builder(), shuffled, "shuffled");
        assertEquals(instructions(inOrder.eval()), instructions(reordered.eval()));
    }

    @Test
    void anEvalCountIsExactAndTheInputIsUntouched() throws Exception {
        List<String> before = List.copyOf(lines);
        Outcome o = run(PipelineSettings.builder().evalCount(25), lines, "count");
        assertEquals(25, o.eval().size());
        assertEquals(600 - 25, o.train().size());
        assertEquals(before, lines);
    }

    @Test
    void stratifiedEvalFollowsTheSourceShares() throws Exception {
        Outcome o = run(PipelineSettings.builder().evalRatio(0.1).stratifyBySource(true), lines, "strata");
        assertEquals(60, o.eval().size());
        long web = o.eval().stream().filter(r -> r.get("source").asText().equals("web")).count();
        long books = o.eval().stream().filter(r -> r.get("source").asText().equals("books")).count();
        long forum = o.eval().stream().filter(r -> r.get("source").asText().equals("forum")).count();
        assertEquals(36, web);
        assertEquals(18, books);
        assertEquals(6, forum);
        assertEquals(6, o.manifest().at("/split/bySource/forum/eval").asInt());
    }

    @Test
    void anEvalCountThatLeavesNoTrainingIsAnErrorAndPublishesNothing() {
        PipelineException e = assertThrows(PipelineException.class,
                () -> run(PipelineSettings.builder().evalCount(600), lines, "toomany"));
        assertEquals(PipelineException.Code.INVALID_SETTINGS, e.code());
        assertTrue(e.getMessage().contains("eval count 600 leaves no training records: only 600 records"), e.getMessage());
        assertEquals(List.of(), PipelineRuns.listing(tmp.resolve("toomany")));
    }

    @Test
    void plannerTiesAndQuotas() {
        SplitPlanner planner = new SplitPlanner();
        for (int i = 0; i < 10; i++) {
            planner.add(i % 2 == 0 ? 5 : 1, i < 7 ? "a" : "b");
        }
        // ranks 1 (odd indices) first; ties in input order
        assertEquals("{1, 3, 5}", planner.plan(3, 0, false).toString());
        assertEquals(0, planner.plan(null, 0.0, false).cardinality());
        assertEquals(9, planner.plan(null, 0.99, false).cardinality(), "a ratio never empties train");
        // 7 "a" and 3 "b": 4 eval records → 2.8 and 1.2 → 3 and 1
        var strat = planner.plan(4, 0, true);
        assertEquals(3, strat.get(0, 7).cardinality());
        assertEquals(1, strat.get(7, 10).cardinality());
    }
}
