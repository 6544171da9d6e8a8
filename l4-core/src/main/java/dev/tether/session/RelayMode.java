package dev.tether.session;

/**
 * How relayed bytes move between the two sockets of a session.
 *
 * <ul>
 *   <li>{@link #COPY}: read into pooled direct buffers, write them to the other side.</li>
 *   <li>{@link #SPLICE}: splice(2) through a pipe with Netty's {@code spliceTo}; epoll only. See
 *       {@link SpliceRelay} for the property it cannot keep: the engine copies instead unless
 *       {@link SpliceRelay#ACCEPT_DATA_LOSS_PROPERTY} forces it.</li>
 *   <li>{@link #AUTO}: the mode that keeps every TCP property: copy.</li>
 * </ul>
 */
public enum RelayMode {
    AUTO, COPY, SPLICE;

    /** {@code -Dtether.relay=copy|splice|auto}, AUTO when unset; lets the same build be measured both ways. */
    public static RelayMode fromSystemProperty() {
        String v = System.getProperty("tether.relay", "auto");
        return valueOf(v.trim().toUpperCase(java.util.Locale.ROOT));
    }
}
