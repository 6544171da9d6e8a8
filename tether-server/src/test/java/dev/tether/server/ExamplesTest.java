package dev.tether.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** Every configuration shipped under examples/ passes {@code tether -c}. */
class ExamplesTest {

    private static final Path EXAMPLES = Path.of("..", "examples");

    @TestFactory
    Stream<DynamicTest> everyExamplePassesTheCheck() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.walk(EXAMPLES)) {
            files = s.filter(p -> p.toString().endsWith(".cfg")).sorted().collect(Collectors.toList());
        }
        assertThat(files).as("examples under %s", EXAMPLES.toAbsolutePath()).isNotEmpty();
        return files.stream().map(file -> DynamicTest.dynamicTest(file.toString(), () -> {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int status = new Main(new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8), Map.of())
                    .run(new String[] {"-c", "-f", file.toString()});
            assertThat(status).as("tether -c -f %s:%n%s", file, err.toString(StandardCharsets.UTF_8)).isZero();
        }));
    }

    @TestFactory
    Stream<DynamicTest> theDemoConfigurationPassesTheCheck() {
        return Stream.of(DynamicTest.dynamicTest("demo.cfg", () -> {
            try (Demo demo = Demo.start(0)) {
                dev.tether.engine.Tether.check(demo.config());
                assertThat(demo.config().proxies()).hasSize(1);
            }
        }));
    }
}
