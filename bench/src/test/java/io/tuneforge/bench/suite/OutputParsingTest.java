package io.tuneforge.bench.suite;

import io.tuneforge.contracts.Json;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The suite reads the lines the benchmarks print, as they print them (lines copied from docs/benchmarks.md runs). */
class OutputParsingTest {

    @Test
    void stepFigureReadsTheJsonLineAndNamesAMissingField() {
        StepFigure f = StepFigure.parseLine(
                "{\"impl\":\"java\",\"mode\":\"lora\",\"ms_per_step\":725.0,\"tokens_per_second\":706.2,\"peak_rss_mib\":1342}");
        assertEquals(new StepFigure("java", "lora", 725.0, 706.2, 1342, null), f);
        assertEquals(-3L, StepFigure.parseLine("{\"impl\":\"java\",\"mode\":\"full\",\"ms_per_step\":9,"
                + "\"tokens_per_second\":1,\"peak_rss_mib\":2,\"rss_growth_mib\":-3}").rssGrowthMib());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StepFigure.parseLine("{\"impl\":\"python\",\"mode\":\"full\",\"ms_per_step\":1.0}"));
        assertTrue(e.getMessage().contains("'tokens_per_second'"), e.getMessage());
    }

    @Test
    void decodeRowsAreReadAndHeaderAndRuleSkipped() {
        assertTrue(DecodeSection.Row.parse("| model | parameters | batch | prefill tok/s | decode tok/s | decode step ms "
                + "| matmul-only ms | step / matmul |").isEmpty());
        assertTrue(DecodeSection.Row.parse("|---|---:|---:|---:|---:|---:|---:|---:|").isEmpty());
        assertTrue(DecodeSection.Row.parse("load average at end 4.3").isEmpty());
        DecodeSection.Row r = DecodeSection.Row.parse("| 100m | 134.1M | 4 | 631 | 48.1 | 83.20 | 83.73 | 0.99 |")
                .orElseThrow();
        assertEquals(new DecodeSection.Row("100m", "134.1M", 4, 631, 48.1, 83.20, 83.73), r);
        List<DecodeSection.Row> torch = List.of(
                DecodeSection.Row.parse("| tiny | 0.1M | 4 | 48305 | 2968.2 | 1.35 | 0.12 | 11.04 |").orElseThrow(),
                DecodeSection.Row.parse("| 100m | 134.1M | 1 | 500 | 20.0 | 50.00 | 45.00 | 1.11 |").orElseThrow());
        assertTrue(r.in(torch).isEmpty(), "no PyTorch row of the same model and batch");
        DecodeSection.Row tiny = new DecodeSection.Row("tiny", "0.1M", 4, 1, 1, 3.35, 0.5);
        assertEquals(1.35, tiny.in(torch).orElseThrow().stepMs());
    }

    @Test
    void thePyTorchDecodeBaselineGetsDecodeBenchmarksOptionsAndThreads() {
        DecodeSection quick = new DecodeSection(SuiteOptions.parse("--quick", "--python", "/opt/py"));
        assertEquals(List.of("/opt/py", DecodeSection.SCRIPT, "--threads", "2", "--models", "tiny", "--batches", "1,4",
                "--prompt", "64", "--new", "32", "--repeats", "1"), quick.pythonCommand(2));
    }

    @Test
    void pipelineFiguresNeedAllThreeLines() {
        List<String> lines = List.of(
                "input: 200,000 records, 96.4 MB (10,077 exact and 9,903 near duplicates planted), generated in 3.1 s",
                "pipeline: 13.50 s, 14,813 records/s, 7.1 MB/s (threads 1, 2 cores, max heap 256 MB)",
                "result: train 162,650, eval 18,072, rejected 19,278 {exact_duplicate=10144}; format instruction",
                "peak RSS (VmHWM): 329 MB");
        PipelineSection.Figures f = PipelineSection.Figures.parse(lines).orElseThrow();
        assertEquals(new PipelineSection.Figures(13.50, 14813, 7.1, 329, 200_000, 96.4), f);
        assertTrue(PipelineSection.Figures.parse(lines.subList(0, 3)).isEmpty(), "no RSS line, no figure");
    }

    @Test
    void quantBenchmarkModelStepRowsAreToldFromItsOtherTables() {
        List<String> lines = List.of("| format | stored bytes | bytes/param | dequant ms | GB/s (f32 out) |",
                "| f32 | 16777216 | 4.0000 | – | – |", "| 128 | f32 | 18.0 | 1.00× |",
                "| f32 | 339738624 | 4.0000 | – |", "| base | step ms | vs f32 | VmRSS after | VmHWM after |",
                "| f32 | 1053 | 1.00× | 1466 MiB | 1528 MiB |", "| NF4 + double quant | 1197 | 1.14× | 1914 MiB | 1966 MiB |");
        double[] ms = QuantStepFallback.parse(lines).orElseThrow();
        assertEquals(1053, ms[0]);
        assertEquals(1197, ms[1]);
        assertTrue(QuantStepFallback.parse(lines.subList(0, 6)).isEmpty(), "no NF4 step row, no figure");
    }

    @Test
    void jmhResultsReadTheirScoreUnitAndParams() throws Exception {
        String json = "[{\"benchmark\":\"io.tuneforge.bench.jmh.Nf4DequantBenchmark.device\",\"mode\":\"avgt\","
                + "\"params\":{\"doubleQuant\":\"true\",\"size\":\"2048\"},"
                + "\"primaryMetric\":{\"score\":16.0,\"scoreError\":1.5,\"scoreUnit\":\"ms/op\"}},"
                + "{\"benchmark\":\"io.tuneforge.bench.jmh.MinHashBenchmark.signature\",\"mode\":\"avgt\","
                + "\"params\":{\"chars\":\"480\"},"
                + "\"primaryMetric\":{\"score\":100.0,\"scoreError\":\"NaN\",\"scoreUnit\":\"us/op\"}}]";
        List<JmhSection.Result> results = JmhSection.Result.parse(Json.mapper().readTree(json));
        assertEquals(2, results.size());
        JmhSection.Result nf4 = results.get(0);
        assertEquals("Nf4Dequant.device", nf4.shortName());
        assertEquals("2048", nf4.params().get("size"));
        assertEquals("1.05 GB/s f32 out", nf4.derived(), "4 · 2048² bytes in 16 ms");
        assertEquals("10,000 signatures/s", results.get(1).derived());
        assertTrue(Double.isNaN(results.get(1).error()));
    }

    @Test
    void optionsRejectUnknownSectionsAndBadThreadCounts() {
        SuiteOptions defaults = SuiteOptions.parse();
        assertEquals(List.of(2), defaults.threads());
        assertEquals(SuiteOptions.SECTIONS.size(), defaults.sections().size());
        SuiteOptions o = SuiteOptions.parse("--threads", "1,2", "--quick", "--only", "train,jmh");
        assertEquals(2, o.summaryThreads());
        assertTrue(o.quick() && o.runs("jmh") && !o.runs("registry"));
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> SuiteOptions.parse("--only", "trian"));
        assertTrue(unknown.getMessage().contains("'trian'") && unknown.getMessage().contains("train"), unknown.getMessage());
        IllegalArgumentException threads = assertThrows(IllegalArgumentException.class,
                () -> SuiteOptions.parse("--threads", "two"));
        assertTrue(threads.getMessage().contains("'two'"), threads.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SuiteOptions.parse("--threads", "0"));
    }

    @Test
    void summaryFiguresJudgeTheTargetInTheRightDirection() {
        SummaryFigure lora = SummaryFigure.atLeast("LoRA", 706, "%.0f", "PyTorch eager", 752, 1.0);
        assertEquals("0.94×", lora.ratio());
        assertEquals("no", lora.met());
        assertEquals("PyTorch eager 752", lora.baseline());
        SummaryFigure qlora = SummaryFigure.atMost("QLoRA / LoRA", 1197, "%.0f ms", "LoRA", 1053, 1.3);
        assertEquals("1.14×", qlora.ratio());
        assertEquals("yes", qlora.met());
        assertEquals("≤ 1.3×", qlora.target());
    }

    @Test
    void tableRendersMarkdownWithAlignedNumbersAndChecksRowWidth() {
        Table t = new Table("mode", "tok/s:");
        t.row("lora", 706).row("a|b", null);
        assertEquals("| mode | tok/s |\n|---|---:|\n| lora | 706 |\n| a\\|b | – |\n", t.toMarkdown());
        assertThrows(IllegalArgumentException.class, () -> t.row("only one"));
    }
}
