package io.tuneforge.augment.operation;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each rule of the quality gate, with a rewrite that passes it and one that does not. */
class QualityGateTest {

    static final String SOURCE = "Explain how a bicycle gear system lets a rider climb steep hills.";
    final QualityGate gate = new QualityGate(new GateSettings(0.85, 5, 128, 0.3, 3.0, 40, 0.6));

    @Test
    void aRealRewritePasses() {
        assertEquals(Optional.empty(), check("Describe why changing gears on a bike makes uphill riding easier.",
                Language.EN));
    }

    @Test
    void emptyIdenticalAndNearIdenticalRewritesAreRejected() {
        assertReason(QualityGate.Reason.EMPTY, check("   ", Language.EN));
        assertReason(QualityGate.Reason.IDENTICAL, check("  explain HOW a bicycle gear system lets a rider climb"
                + " steep   hills. ", Language.EN));
        Optional<QualityGate.Rejection> near = check("Explain how a bicycle gear system lets a rider climb steep"
                + " hills!", Language.EN);
        assertReason(QualityGate.Reason.NEAR_DUPLICATE, near);
        assertTrue(near.get().message().contains("threshold 0.850"), near.get().message());
    }

    @Test
    void lengthMustStayWithinBounds() {
        assertReason(QualityGate.Reason.TOO_SHORT, check("Bike gears?", Language.EN));
        String tooLong = "Describe gears. ".repeat(20);
        Optional<QualityGate.Rejection> r = check(tooLong, Language.EN);
        assertReason(QualityGate.Reason.TOO_LONG, r);
        assertTrue(r.get().message().contains("more than 3.00 x the source's 65 + 40"), r.get().message());
    }

    @Test
    void theLanguageIsCheckedByScriptShare() {
        String zh = "请解释自行车的变速系统如何帮助骑手爬上陡坡。";
        Optional<QualityGate.Rejection> r = gate.check(Map.of("instruction", zh),
                Map.of("instruction", "Explain how bike gears help riders climb steep hills."), Language.ZH);
        assertReason(QualityGate.Reason.WRONG_LANGUAGE, r);
        assertTrue(r.get().message().contains("should be Chinese, but only 0% of its letters are CJK"),
                r.get().message());
        assertEquals(Optional.empty(), gate.check(Map.of("instruction", zh),
                Map.of("instruction", "自行车的变速装置为什么能让人更轻松地骑上陡坡?"), Language.ZH));
        // a source that is mostly code is not held to a script share it does not have itself
        String code = "把 foo_bar_baz() 改成 fooBarBaz()";
        assertEquals(Optional.empty(), gate.check(Map.of("instruction", code),
                Map.of("instruction", "Rename foo_bar_baz() to fooBarBaz() please"), Language.ZH));
        assertEquals(Optional.empty(), gate.checkLanguage(SOURCE, Language.EN, "解释自行车变速器", Language.ZH, "pivot"));
        assertReason(QualityGate.Reason.WRONG_LANGUAGE, gate.checkLanguage(SOURCE, Language.EN,
                "Explain bicycle gears", Language.ZH, "pivot"));
    }

    @Test
    void aRewriteThatRepeatsAnotherOfTheSameRecordIsADuplicateGeneration() {
        Map<String, String> first = Map.of("instruction", "Describe why changing gears on a bike makes uphill"
                + " riding easier.");
        assertReason(QualityGate.Reason.DUPLICATE_GENERATION, gate.duplicateOfSibling(first, List.of(first)));
        assertEquals(Optional.empty(), gate.duplicateOfSibling(Map.of("instruction", "What do bicycle gears do when"
                + " the road goes up?"), List.of(first)));
    }

    @Test
    void everyRewrittenFieldIsJudgedTogether() {
        Map<String, String> before = Map.of("instruction", SOURCE, "input", "A road bike with 22 gears.");
        assertReason(QualityGate.Reason.EMPTY, gate.check(before, Map.of("instruction", "Describe bike gears on"
                + " hills in your own words.", "input", ""), Language.EN));
    }

    private Optional<QualityGate.Rejection> check(String rewrite, Language language) {
        return gate.check(Map.of("instruction", SOURCE), Map.of("instruction", rewrite), language);
    }

    private static void assertReason(QualityGate.Reason expected, Optional<QualityGate.Rejection> actual) {
        assertTrue(actual.isPresent(), "expected " + expected + ", but the rewrite passed");
        assertEquals(expected, actual.get().reason(), actual.get().message());
    }
}
