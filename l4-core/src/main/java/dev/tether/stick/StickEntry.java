package dev.tether.stick;

import dev.tether.config.StickTableConfig.DataType;

/**
 * One key's data in a {@link StickTable}. Thread-safe: sessions on every event loop update it. Data types the table
 * does not store read as 0 and ignore updates.
 */
public interface StickEntry {

    /** The key, as {@link StickTable#key} normalised it. */
    Object key();

    /** The key as {@code show table} prints it: dotted IPv4, IPv6 text, decimal, the string, upper-case hex. */
    String keyText();

    /** The server id stored; 0 = none. */
    int serverId();

    void serverId(int id);

    /** Milliseconds until expiry; -1 when the table has no expire; 0 when expired or due. */
    long expiresInMillis();

    /** How many sessions track this entry now ({@code use=} in {@code show table}). */
    int trackers();

    /** A counter, or a rate over its period now (HAProxy's sliding-window estimate); 0 when not stored. */
    long get(DataType type);

    /**
     * A connection starts being tracked with this entry ({@code track-sc} or a stick rule keeping it referenced):
     * conn_cnt and conn_rate count it, conn_cur counts it until {@link #untrack()}; the entry does not expire while
     * tracked.
     */
    void track();

    /** The tracked connection ended: conn_cur drops, and the expiry is refreshed from now. */
    void untrack();

    /** The connection passed the tcp-request connection rules: sess_cnt and sess_rate count it. */
    void sessionStarted();

    /** Bytes from the client ({@code in}) and to it ({@code out}): bytes_*_cnt and bytes_*_rate. */
    void addBytes(long in, long out);

    /** gpc0 or gpc1 plus one; returns the new value. */
    long incrementGpc(int index);

    void setGpt0(long value);
}
