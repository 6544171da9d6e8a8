package dev.tether.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Keeps docs/configuration.md and the keyword registry in step: the keyword index table (between the
 * keyword-index markers) lists exactly the registered keywords, each with the sections it is legal in.
 */
class ConfigurationDocsTest {

    private static final Path DOC = Path.of("../docs/configuration.md");
    private static final Pattern ROW = Pattern.compile("^\\| `([^`]+)` \\| ([^|]+) \\|");

    @Test
    void shouldDocumentEveryRegisteredKeywordAndRegisterEveryDocumentedOne() throws IOException {
        List<String> documented = documentedRows();
        List<String> registered = new ArrayList<>();
        for (Keyword k : KeywordRegistry.standard().keywords()) {
            registered.add(k.name() + " | " + k.sectionLetters());
        }
        assertThat(documented).as("keyword index of %s", DOC).containsExactlyInAnyOrderElementsOf(registered);
    }

    @Test
    void shouldDocumentEveryRegisteredServerOptionInTheServerOptionsTable() throws IOException {
        List<String> documented = new ArrayList<>();
        boolean inTable = false;
        Pattern firstWords = Pattern.compile("`([a-z0-9-]+)");
        for (String line : Files.readAllLines(DOC, StandardCharsets.UTF_8)) {
            if (line.startsWith("Server options, with")) {
                inTable = true;
            } else if (inTable && line.startsWith("| `")) {
                String optionCell = line.substring(1, line.indexOf(" | ", 1));
                Matcher m = firstWords.matcher(optionCell);
                while (m.find()) {
                    documented.add(m.group(1));
                }
            } else if (inTable && !documented.isEmpty() && !line.startsWith("|")) {
                break;
            }
        }
        List<String> registered = new ArrayList<>();
        for (ServerOptionParser.Option o : ServerOptionParser.options()) {
            registered.add(o.name());
        }
        assertThat(documented).as("server options table of %s", DOC).containsExactlyInAnyOrderElementsOf(registered);
    }

    private static List<String> documentedRows() throws IOException {
        List<String> rows = new ArrayList<>();
        boolean inIndex = false;
        for (String line : Files.readAllLines(DOC, StandardCharsets.UTF_8)) {
            if (line.contains("keyword-index:start")) {
                inIndex = true;
            } else if (line.contains("keyword-index:end")) {
                inIndex = false;
            } else if (inIndex) {
                Matcher m = ROW.matcher(line);
                if (m.find()) {
                    rows.add(m.group(1) + " | " + m.group(2).trim());
                }
            }
        }
        assertThat(rows).as("rows found in the keyword index of %s", DOC).isNotEmpty();
        return rows;
    }
}
