package dev.tether.engine;

import dev.tether.log.SessionLog;
import dev.tether.log.SessionRecord;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stands in for the configured log targets until the log package provides them: one HAProxy tcplog line per
 * session (CFG §8.2.2) to the SLF4J logger {@code tether.session} at INFO. Called on event loops, so the logging
 * backend must be configured with an asynchronous appender (tether-server does that).
 */
final class InterimTcpLog implements SessionLog {

    private static final Logger LOG = LoggerFactory.getLogger("tether.session");
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss.SSS",
            Locale.ROOT).withZone(ZoneId.systemDefault());

    @Override
    public void log(SessionRecord r) {
        if (LOG.isInfoEnabled()) {
            LOG.info(format(r));
        }
    }

    /** {@code %ci:%cp [%t] %ft %b/%s %Tw/%Tc/%Tt %B %ts %ac/%fc/%bc/%sc/%rc %sq/%bq} */
    static String format(SessionRecord r) {
        StringBuilder sb = new StringBuilder(160);
        sb.append(r.client() == null ? "-" : r.client().getAddress().getHostAddress()).append(':')
                .append(r.client() == null ? 0 : r.client().getPort())
                .append(" [").append(DATE.format(Instant.ofEpochMilli(r.acceptEpochMillis()))).append("] ")
                .append(r.frontend()).append(' ')
                .append(r.backend().isEmpty() ? r.frontend() : r.backend()).append('/')
                .append(r.server().isEmpty() ? "<NOSRV>" : r.server()).append(' ')
                .append(r.queueMillis()).append('/').append(r.connectMillis()).append('/').append(r.totalMillis())
                .append(' ').append(r.bytesRead()).append(' ').append(r.terminationState()).append(' ')
                .append(r.actConn()).append('/').append(r.feConn()).append('/').append(r.beConn()).append('/')
                .append(r.srvConn()).append('/').append(r.redispatched() ? "+" : "").append(r.retries()).append(' ')
                .append(r.srvQueue()).append('/').append(r.backendQueue());
        return sb.toString();
    }
}
