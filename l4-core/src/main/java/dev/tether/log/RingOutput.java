package dev.tether.log;

/** A {@code log ring@<name>} target: each line goes into the ring, without its line feed. */
final class RingOutput implements LogOutput {

    private final Ring ring;

    RingOutput(Ring ring) {
        this.ring = ring;
    }

    @Override
    public boolean write(byte[] buf, int len) {
        ring.append(buf, 0, len > 0 && buf[len - 1] == '\n' ? len - 1 : len);
        return true;
    }

    @Override
    public void close() {
        // the ring outlives its targets: SessionLogs closes it
    }

    @Override
    public String describe() {
        return "ring " + ring.config().name();
    }
}
