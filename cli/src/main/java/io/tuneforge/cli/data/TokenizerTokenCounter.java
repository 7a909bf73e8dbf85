package io.tuneforge.cli.data;

import io.tuneforge.dataprep.validate.TokenCounter;
import io.tuneforge.tuning.tokenizer.TextTokenizer;

import java.io.IOException;
import java.nio.file.Path;

/** Token counts with the target model's own {@code tokenizer.json} (Hugging Face tokenizers through DJL). */
final class TokenizerTokenCounter implements TokenCounter, AutoCloseable {

    private final TextTokenizer tokenizer;
    private final String description;

    private TokenizerTokenCounter(TextTokenizer tokenizer, Path source) {
        this.tokenizer = tokenizer;
        this.description = "tokenizer.json of " + source.toAbsolutePath().normalize();
    }

    /** @param model a Hugging Face model directory or its {@code tokenizer.json} */
    static TokenizerTokenCounter load(Path model) throws IOException {
        return new TokenizerTokenCounter(TextTokenizer.load(model), model);
    }

    @Override
    public int count(String text) {
        return tokenizer.encode(text).length;
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
