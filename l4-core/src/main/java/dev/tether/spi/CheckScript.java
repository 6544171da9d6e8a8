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

    /** The outcome of a {@link ResponseCheck}: wait, pass, or fail with a reason. */
    public static final class Result {
        public static final Result WAIT = new Result(null, false);
        public static final Result PASS = new Result(null, false);

        private final String reason;
        private final boolean wrongStatus;

        private Result(String reason, boolean wrongStatus) {
            this.reason = reason;
            this.wrongStatus = wrongStatus;
        }

        /**
         * A failure because the answer is not the protocol's (reported {@code L7RSP}, "Layer7 invalid response"),
         * with the reason the check's log line and {@code show servers state} report.
         */
        public static Result fail(String reason) {
            return new Result(Objects.requireNonNull(reason, "reason"), false);
        }

        /**
         * A failure because the server answered in its protocol with an error status (reported {@code L7STS},
         * "Layer7 wrong status", as HAProxy reports a MySQL error packet or a Redis error reply).
         */
        public static Result wrongStatus(String reason) {
            return new Result(Objects.requireNonNull(reason, "reason"), true);
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
    }
}
