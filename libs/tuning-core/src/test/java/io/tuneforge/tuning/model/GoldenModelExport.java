package io.tuneforge.tuning.model;

import io.tuneforge.tuning.tiny.TinyModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.nio.file.Path;

/**
 * Writes the golden variants' model directories for the Python reference (not a test; runs only
 * with {@code -Dtuneforge.golden.export=DIR}, see {@code src/test/resources/golden/README.md}).
 */
@EnabledIfSystemProperty(named = "tuneforge.golden.export", matches = ".+")
class GoldenModelExport {

    @Test
    void export() {
        Path out = Path.of(System.getProperty("tuneforge.golden.export"));
        GoldenVariants.all().forEach((name, spec) -> {
            TinyModel.write(out.resolve(name), spec);
            System.out.println("wrote " + out.resolve(name));
        });
    }
}
