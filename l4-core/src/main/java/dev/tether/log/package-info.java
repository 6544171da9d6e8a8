/**
 * Session logging: HAProxy's tcplog and accept lines ({@link dev.tether.log.TcpLogFormat}), syslog headers in
 * HAProxy's formats, and the outputs (stdout, stderr, UDP syslog, Unix datagram sockets).
 *
 * <p>Threading: event loops only queue events through a {@link dev.tether.log.SessionLog}, never blocking; one
 * dedicated daemon thread per {@link dev.tether.log.SessionLogs} formats and writes them, dropping and counting
 * what does not fit in its bounded queue. Building and closing a {@code SessionLogs} happens off the event loops.
 */
package dev.tether.log;
