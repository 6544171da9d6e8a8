package dev.tether.amqp;

import dev.tether.spi.FetchKeyword;
import dev.tether.spi.SampleType;
import dev.tether.spi.SessionKey;
import java.util.List;

/**
 * What {@code filter amqp} learns from a connection's handshake and keeps with its session, and the fetches that
 * read it. Each answers once its method has passed (Start-Ok, Tune-Ok, Open) and has no sample before: routing
 * rules run before the server connection, hence before any of it, so these serve the log format and rules that
 * run later. The user is never accompanied by its password.
 */
final class AmqpFacts {

    /** The virtual host the client opened (Connection.Open). */
    static final SessionKey<String> VIRTUAL_HOST = new SessionKey<>("amqp.vhost");
    /** The user it authenticated as (Start-Ok's PLAIN or AMQPLAIN response). */
    static final SessionKey<String> USER = new SessionKey<>("amqp.user");
    /** The heartbeat interval the client accepted, in seconds, 0 for none (Tune-Ok). */
    static final SessionKey<Long> HEARTBEAT = new SessionKey<>("amqp.heartbeat");

    static final List<FetchKeyword> FETCHES = List.of(
            FetchKeyword.of("amqp.vhost", SampleType.STR,
                    "AMQP 0-9-1 virtual host from Connection.Open, once the filter amqp saw it",
                    session -> session.get(VIRTUAL_HOST)),
            FetchKeyword.of("amqp.user", SampleType.STR,
                    "AMQP 0-9-1 user from Start-Ok (PLAIN or AMQPLAIN), once the filter amqp saw it",
                    session -> session.get(USER)),
            FetchKeyword.of("amqp.heartbeat", SampleType.INT,
                    "AMQP 0-9-1 heartbeat in seconds from Tune-Ok (0 = off), once the filter amqp saw it",
                    session -> session.get(HEARTBEAT)));

    private AmqpFacts() {
    }
}
