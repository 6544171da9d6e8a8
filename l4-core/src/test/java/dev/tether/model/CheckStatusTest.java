package dev.tether.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CheckStatusTest {

    @Test
    void shouldKeepAServersAnswerInTheInfoOnOneLine() {
        // the info is logged and shown in show stat's CSV: a server must not be able to start a line of its own
        CheckStatus s = new CheckStatus("L7RSP", "Layer7 invalid response",
                "not an FTP greeting: 220 ok\r\n[ALERT] forged line", 3, false);
        assertThat(s.info()).isEqualTo("not an FTP greeting: 220 ok\\x0D\\x0A[ALERT] forged line");
    }

    @Test
    void shouldBoundTheInfo() {
        assertThat(new CheckStatus("L7RSP", "x", "y".repeat(5000), 1, false).info()).hasSize(1003).endsWith("...");
    }
}
