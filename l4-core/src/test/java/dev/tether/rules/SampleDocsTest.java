package dev.tether.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Keeps the "Sample expressions" section of docs/configuration.md in step with the standard registry: every fetch
 * and converter is named there. The three tracked counters share one spelling, {@code sc<n>_...}, and the
 * {@code sc_...(<n>)} forms are covered by it.
 */
class SampleDocsTest {

    private static final Path DOC = Path.of("../docs/configuration.md");

    @Test
    void everyStandardFetchAndConverterIsDocumented() throws IOException {
        String doc = Files.readString(DOC, StandardCharsets.UTF_8);
        String section = doc.substring(doc.indexOf("## Sample expressions"), doc.indexOf("## Refused and"));
        List<String> missing = new ArrayList<>();
        SampleRegistry r = SampleRegistry.standard();
        for (String name : r.fetchNames()) {
            String spelled = name.replaceFirst("^sc[0-2]?_", "sc<n>_");
            if (!section.contains("`" + spelled) && !section.contains(" " + spelled + ",")
                    && !section.contains(" " + spelled + "`")) {
                missing.add(name);
            }
        }
        for (String name : r.converterNames()) {
            if (!section.contains("`" + name)) {
                missing.add(name);
            }
        }
        assertThat(missing).as("fetches and converters missing from %s", DOC).isEmpty();
    }
}
