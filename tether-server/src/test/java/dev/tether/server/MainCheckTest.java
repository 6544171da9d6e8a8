package dev.tether.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainCheckTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        Main main = new Main(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.of("BACKEND_HOST", "127.0.0.1"));
        return main.run(args);
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    @Test
    void shouldExitZeroForAValidConfiguration() throws Exception {
        Path cfg = write("ok.cfg", String.join("\n",
                "defaults",
                "    mode tcp",
                "    timeout connect 1s",
                "    timeout client 5s",
                "    timeout server 5s",
                "listen l",
                "    bind 127.0.0.1:0",
                "    server s1 \"${BACKEND_HOST}\":5432",
                ""));
        assertThat(run("-c", "-f", cfg.toString())).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("Configuration file is valid");
    }

    @Test
    void shouldExitOneAndNameFileLineAndKeywordForAnError() throws Exception {
        Path cfg = write("bad.cfg", String.join("\n",
                "defaults",
                "    mode tcp",
                "listen l",
                "    bind 127.0.0.1:0",
                "    balance nosuchalgo",
                ""));
        assertThat(run("-c", "-f", cfg.toString())).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("bad.cfg:5")
                .contains("'balance'")
                .contains("roundrobin");
    }

    @Test
    void shouldExitOneForAMissingFile() {
        assertThat(run("-c", "-f", dir.resolve("absent.cfg").toString())).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("absent.cfg");
    }

    @Test
    void shouldLoadEveryCfgFileOfADirectoryInNameOrder() throws Exception {
        write("10-defaults.cfg", "defaults\n    mode tcp\n    timeout connect 1s\n    timeout client 1s\n"
                + "    timeout server 1s\n");
        write("20-listen.cfg", "listen l\n    bind 127.0.0.1:0\n    server s1 127.0.0.1:1\n");
        write("notes.txt", "this is not configuration\n");
        assertThat(run("-c", "-f", dir.toString())).as(err.toString(StandardCharsets.UTF_8)).isZero();
    }

    @Test
    void shouldPrintUsageOnUnknownOption() {
        assertThat(run("--bogus")).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("unknown option '--bogus'").contains("--help");
    }

    @Test
    void shouldPrintHelp() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("-c").contains("--demo");
    }
}
