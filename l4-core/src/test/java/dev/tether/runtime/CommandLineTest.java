package dev.tether.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CommandLineTest {

    @Test
    void semicolonsSeparateCommandsAndBlanksSeparateWords() {
        assertThat(CommandLine.parse("show info ;  set server  web/s1 state\tdrain;"))
                .containsExactly(List.of("show", "info"), List.of("set", "server", "web/s1", "state", "drain"));
    }

    @Test
    void aBackslashMakesTheNextCharacterLiteral() {
        assertThat(CommandLine.parse("get weight a\\;b/c\\ d; quit"))
                .containsExactly(List.of("get", "weight", "a;b/c d"), List.of("quit"));
    }

    @Test
    void emptyCommandsAndATrailingCarriageReturnAreIgnored() {
        assertThat(CommandLine.parse(" ; ;show stat\r")).containsExactly(List.of("show", "stat"));
        assertThat(CommandLine.parse("")).isEmpty();
    }
}
