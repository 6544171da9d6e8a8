package dev.tether.log;

import dev.tether.rules.SampleExpression;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * Where sessions are reported. Called on event loops: implementations must not block and must not do I/O on the
 * calling thread (queue the record, write it elsewhere).
 *
 * <p>The engine calls {@link #logAccept} for every accepted session and {@link #log} for every finished one; the
 * implementation decides which of the two lines a frontend wants ({@code option tcplog} or not), as HAProxy does.
 */
@FunctionalInterface
public interface SessionLog {

    /** A log that drops everything ({@code no log}). */
    SessionLog NONE = record -> { };

    /** A session ended: the {@code option tcplog} line. */
    void log(SessionRecord record);

    /**
     * The sample expressions the line's format writes ({@code %[...]} in {@code log-format}), which the session
     * evaluates when it ends and hands over as {@link SessionRecord#samples()}. The default has none.
     */
    default List<SampleExpression> samples() {
        return List.of();
    }

    /**
     * A session was accepted: HAProxy logs {@code Connect from <sip>:<sport> to <dip>:<dport> (<frontend>/TCP)}
     * here when the frontend has log targets but no {@code option tcplog}. The default ignores it.
     *
     * @param client the client (PROXY-advertised address when there is one)
     * @param frontendAddress the address the client connected to
     */
    default void logAccept(InetSocketAddress client, InetSocketAddress frontendAddress) {
    }

    /**
     * A message of the proxy's own, not a session's: a server state change ({@code Server b/s is DOWN, ...}), sent at
     * {@code severity} (a syslog severity) to the proxy's log targets, as HAProxy's {@code send_log} sends it. Called
     * off the event loops. The default ignores it.
     */
    default void event(String text, int severity) {
    }

    /**
     * {@code option dontlognull}: {@code log} without the sessions whose client sent nothing (a port probe, a
     * health check that only connects), as HAProxy leaves out sessions with nothing on the request side. A line
     * {@code option logasap} writes at connect always goes out: the client may not have spoken yet (a server that
     * greets first), and HAProxy 2.6 logs it too.
     */
    static SessionLog dontLogNull(SessionLog log) {
        return only(log, record -> record.partial() || record.bytesUploaded() > 0);
    }

    /**
     * {@code option dontlog-normal}: {@code log} without the sessions that ended normally (termination state
     * {@code --}), as HAProxy logs only errors with it.
     */
    static SessionLog dontLogNormal(SessionLog log) {
        return only(log, SessionRecord::endedInError);
    }

    private static SessionLog only(SessionLog log, java.util.function.Predicate<SessionRecord> kept) {
        return new SessionLog() {
            @Override
            public void log(SessionRecord record) {
                if (kept.test(record)) {
                    log.log(record);
                }
            }

            @Override
            public void logAccept(InetSocketAddress client, InetSocketAddress frontendAddress) {
                log.logAccept(client, frontendAddress);
            }

            @Override
            public List<SampleExpression> samples() {
                return log.samples();
            }

            @Override
            public void event(String text, int severity) {
                log.event(text, severity);
            }
        };
    }
}
