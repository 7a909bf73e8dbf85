package io.tuneforge.tuning.chat;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

class TemplateFiltersTest {

    @Test
    void findsFiltersInsideTagsOnly() {
        String source = "<|a|> text | notafilter {# x | comment #}"
                + "{{ '<|im_start|>' + m | trim + \"|q\" }}{% set x = y|length %}{{- t | tojson(indent=2) -}}"
                + "{{ 'it\\'s | x' | upper }}";
        assertEquals(List.of("trim", "length", "tojson", "upper"), List.copyOf(TemplateFilters.used(source)));
    }

    @Test
    void stringsAndUnclosedTagsDoNotConfuseTheScanner() {
        assertEquals(Set.of(), TemplateFilters.used("{{ '}}|x' }}"));
        assertEquals(Set.of("a"), TemplateFilters.used("{% if x | a %}{{ 'unclosed"));
        assertEquals(Set.of(), TemplateFilters.used("{"));
    }
}
