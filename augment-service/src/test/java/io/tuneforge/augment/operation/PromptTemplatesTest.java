package io.tuneforge.augment.operation;

import io.tuneforge.augment.llm.ChatPrompt;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Template lookup per operation and language, filling, and the checks of user-given templates. */
class PromptTemplatesTest {

    @Test
    void theMostSpecificKeyOfTheFirstSourceWins() {
        PromptTemplates t = new PromptTemplates(
                Map.of("paraphrase", new PromptTemplate(null, "config generic {text}")),
                Map.of("variations.zh", new PromptTemplate(null, "job zh {text}")));
        assertEquals("config generic {text}", t.resolve(Operation.PARAPHRASE, Language.ZH).user(),
                "a configured generic template overrides the built-in Chinese one");
        assertEquals("job zh {text}", t.resolve(Operation.VARIATIONS, Language.ZH).user());
        assertTrue(t.resolve(Operation.VARIATIONS, Language.EN).user().startsWith("Write version {index} of {n}"));
        assertTrue(t.resolve(Operation.BACK_TRANSLATE, Language.ZH).user().startsWith("请把下面的文本翻译成中文"));
        assertEquals(Map.of("origin", "job", "key", "variations.zh", "user", "job zh {text}"),
                t.describeUsed().get("variations.zh"));
        assertEquals("built-in", t.describeUsed().get("variations.en").get("origin"));
    }

    @Test
    void placeholdersAreFilledOnceAndTextIsInsertedAsIs() {
        ChatPrompt p = new PromptTemplate("Answer in {language}.", "Version {index} of {n}: {text}")
                .render(Map.of("text", "keep {index} and $1 literally", "language", "English", "index", "2",
                        "n", "3"));
        assertEquals("Answer in English.", p.system());
        assertEquals("Version 2 of 3: keep {index} and $1 literally", p.user());
        assertNull(new PromptTemplate(" ", "{text}").render(Map.of("text", "x")).system());
    }

    @Test
    void badTemplatesAreReportedWithTheirKeys() {
        List<String> problems = PromptTemplates.problems("settings.templates", Map.of(
                "paraphrase.xx", new PromptTemplate(null, "{text}"),
                "summarise", new PromptTemplate(null, "{text}"),
                "variations", new PromptTemplate("{tone}", "no text here")));
        assertEquals(4, problems.size(), problems.toString());
        assertTrue(problems.contains("settings.templates.variations.user: expected the placeholder {text} where the"
                + " record's text goes, got \"no text here\""), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("settings.templates.variations.system: unknown"
                + " placeholder {tone}")), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("settings.templates.paraphrase.xx: expected a key")),
                problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.contains("got 'summarise'")), problems.toString());
    }

    @Test
    void theLanguageOfARecordIsGuessedFromItsScript() {
        assertEquals(Language.ZH, Language.detect("请解释为什么天空是蓝色的 (Rayleigh)"));
        assertEquals(Language.JA, Language.detect("空はなぜ青いのですか"));
        assertEquals(Language.KO, Language.detect("하늘은 왜 파란가요"));
        assertEquals(Language.RU, Language.detect("Почему небо голубое?"));
        assertEquals(Language.EN, Language.detect("Why is the sky blue?"));
        assertEquals(Language.EN, Language.detect("1 + 1 = ?"));
    }

    @Test
    void wrappingQuotesAndEchoedLabelsAreTakenOff() {
        assertEquals("Why is it blue?", RecordAugmenter.clean("  \"Why is it blue?\"\n"));
        assertEquals("Why is it blue?", RecordAugmenter.clean("Request: Why is it blue?"));
        assertEquals("天空为什么是蓝的", RecordAugmenter.clean("「天空为什么是蓝的」"));
        assertEquals("\"a\" and \"b\"", RecordAugmenter.clean("\"a\" and \"b\""), "inner quotes stay");
    }
}
