package dev.tether.spi;

import io.netty.buffer.ByteBuf;
import java.util.List;
import java.util.Objects;

/**
 * The steps of a protocol health check, after the connection is made: bytes to send and answers to expect, in
 * order. Immutable and shared by every check of every server. A response check sees everything received since the
 * connection opened or the last send step, and is called on a health-check thread, never concurrently for one check.
 */
public record CheckScript(List<Step> steps) {

    public CheckScript {
        steps = List.copyOf(steps);
    }

    public static CheckScript of(Step... steps) {
        return new CheckScript(List.of(steps));
    }

    /** One step of a script. */
    public sealed interface Step permits Send, Expect {
    }

    /** Sends bytes to the server. */
    public record Send(byte[] data) implements Step {
        public Send {
            data = data.clone();
        }

        @Override
        public byte[] data() {
            return data.clone();
        }
    }

    /**
     * Waits for an answer that {@code check} accepts.
     *
     * @param description how a timeout report names the step, such as {@code expect CONNACK}
     */
    public record Expect(String description, ResponseCheck check) implements Step {
        public Expect {
            Objects.requireNonNull(description, "description");
            Objects.requireNonNull(check, "check");
        }
    }

    public static Step send(byte[] data) {
        return new Send(data);
    }

    public static Step expect(String description, ResponseCheck check) {
        return new Expect(description, check);
    }

    /** Judges what the server sent. */
    @FunctionalInterface
    public interface ResponseCheck {
        /**
         * @param received the bytes received since the step began, readable from its reader index; not to be
         *     released or consumed
         * @param ended nothing more will arrive: the server closed or the check's buffer is full
         * @return {@link Result#WAIT} for more bytes (treated as a failure once {@code ended}), {@link Result#PASS},
         *     or {@link Result#fail(String)} with the reason the check report shows
         */
        Result check(ByteBuf received, boolean ended);
    }

    /**
     * The outcome of a {@link ResponseCheck}: wait, pass, or fail with a reason; a pass or a wrong status may carry
     * the status code the server answered with (an HTTP status), which check reports show as {@code code: 503}.
     */
    public static final class Result {
        public static final Result WAIT = new Result(null, false, 0);
        public static final Result PASS = new Result(null, false, 0);

        private final String reason;
        private final boolean wrongStatus;
        private final int code;
        /** What a pass reports as its info; null when nothing. */
        private final String info;
        /** A pass that only conditionally keeps the server in: HTTP 404 under {@code http-check disable-on-404}. */
        private final boolean conditional;

        private Result(String reason, boolean wrongStatus, int code) {
            this(reason, wrongStatus, code, null);
        }

        private Result(String reason, boolean wrongStatus, int code, String info) {
            this(reason, wrongStatus, code, info, false);
        }

        private Result(String reason, boolean wrongStatus, int code, String info, boolean conditional) {
            this.reason = reason;
            this.wrongStatus = wrongStatus;
            this.code = code;
            this.info = info;
            this.conditional = conditional;
        }

        /**
         * A conditional pass (reported {@code L7OKC}, "Layer7 check conditionally passed"): the server is alive but
         * asks to take no new balanced sessions, as an HTTP 404 does under {@code http-check disable-on-404}.
         */
        public static Result conditionalPass(int code) {
            return new Result(null, false, positive(code), null, true);
        }

        /** Whether this pass is a conditional one. */
        public boolean conditional() {
            return conditional;
        }

        /** A pass that reports {@code info}, such as the line an agent answered with. */
        public static Result pass(String info) {
            return new Result(null, false, 0, Objects.requireNonNull(info, "info"));
        }

        /** The info a pass reports; null when none. */
        public String info() {
            return info;
        }

        /** A pass on an answer with status {@code code}, which the check's report shows ({@code code: 200}). */
        public static Result pass(int code) {
            return new Result(null, false, positive(code));
        }

        /**
         * A failure because the answer is not the protocol's (reported {@code L7RSP}, "Layer7 invalid response"),
         * with the reason the check's log line and {@code show servers state} report.
         */
        public static Result fail(String reason) {
            return new Result(Objects.requireNonNull(reason, "reason"), false, 0);
        }

        /**
         * A failure because the server answered in its protocol with an error status (reported {@code L7STS},
         * "Layer7 wrong status", as HAProxy reports a MySQL error packet or a Redis error reply).
         */
        public static Result wrongStatus(String reason) {
            return new Result(Objects.requireNonNull(reason, "reason"), true, 0);
        }

        /** {@link #wrongStatus(String)} with the status code the answer carried ({@code code: 503}). */
        public static Result wrongStatus(String reason, int code) {
            return new Result(Objects.requireNonNull(reason, "reason"), true, positive(code));
        }

        private static int positive(int code) {
            if (code <= 0) {
                throw new IllegalArgumentException("a status code is positive, got " + code);
            }
            return code;
        }

        /** Whether the failure is an error status rather than an invalid response. */
        public boolean isWrongStatus() {
            return wrongStatus;
        }

        public boolean failed() {
            return reason != null;
        }

        /** The failure's reason; null unless {@link #failed()}. */
        public String reason() {
            return reason;
        }

        /** The status code the answer carried; 0 when none. */
        public int code() {
            return code;
        }

        /** Whether this is a pass ({@link #PASS} or {@link #pass(int)}). */
        public boolean passed() {
            return this != WAIT && reason == null;
        }
    }
}
