package dev.tether.config;

/**
 * The port part of a server address: a fixed port, none (the port the client connected to), or {@code +N}/{@code -N}
 * (the client's destination port shifted by N).
 */
public record PortMapping(Kind kind, int value) {

    public enum Kind { FIXED, SAME_AS_CLIENT, OFFSET }

    public static final PortMapping SAME_AS_CLIENT = new PortMapping(Kind.SAME_AS_CLIENT, 0);

    public static PortMapping fixed(int port) {
        return new PortMapping(Kind.FIXED, port);
    }

    public static PortMapping offset(int delta) {
        return new PortMapping(Kind.OFFSET, delta);
    }

    /** The port to connect to for a client that connected to {@code clientDestinationPort}. */
    public int resolve(int clientDestinationPort) {
        switch (kind) {
            case FIXED:
                return value;
            case SAME_AS_CLIENT:
                return clientDestinationPort;
            default:
                return clientDestinationPort + value;
        }
    }

    @Override
    public String toString() {
        switch (kind) {
            case FIXED:
                return Integer.toString(value);
            case SAME_AS_CLIENT:
                return "";
            default:
                return value >= 0 ? "+" + value : Integer.toString(value);
        }
    }
}
