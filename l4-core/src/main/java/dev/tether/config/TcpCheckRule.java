package dev.tether.config;

import java.util.Objects;

/** One {@code tcp-check} line of a backend's ruleset (CFG §4.2 tcp-check, reference §5). */
public sealed interface TcpCheckRule permits TcpCheckRule.Connect, TcpCheckRule.Send, TcpCheckRule.Expect,
        TcpCheckRule.Comment {

    Location location();

    /** The rule's {@code comment <msg>} option ("" when none), reported when the rule fails. */
    String comment();

    /** {@code tcp-check connect [port <p>] [addr <ip>] [linger]}; port 0 and addr "" mean the server's. */
    record Connect(Location location, int port, String addr, boolean linger, String comment) implements TcpCheckRule {
    }

    /** {@code tcp-check send <string>} (escapes already resolved) or {@code send-binary <hex>}, as bytes. */
    record Send(Location location, byte[] data, boolean binary, String comment) implements TcpCheckRule {
        public Send {
            data = data.clone();
        }

        @Override
        public byte[] data() {
            return data.clone();
        }
    }

    /**
     * {@code tcp-check expect [min-recv <n>] [!] string|rstring|binary|rbinary <pattern>}.
     *
     * @param pattern the text for string and rstring, the hex digits for binary, the regex over the upper-case hex
     *     dump for rbinary
     * @param minRecv bytes to wait for before matching; -1 = not set
     */
    record Expect(Location location, boolean negate, Match match, String pattern, int minRecv, String comment)
            implements TcpCheckRule {
        public Expect {
            Objects.requireNonNull(match, "match");
            Objects.requireNonNull(pattern, "pattern");
        }
    }

    /** {@code tcp-check comment <text>}: names the steps after it in failure reports. */
    record Comment(Location location, String comment) implements TcpCheckRule {
    }

    /** The kinds of {@code expect} patterns. */
    enum Match { STRING, RSTRING, BINARY, RBINARY }
}
