package dev.tether.config;

import static dev.tether.config.Section.BACKEND;
import static dev.tether.config.Section.DEFAULTS;
import static dev.tether.config.Section.FRONTEND;
import static dev.tether.config.Section.LISTEN;

import java.util.EnumSet;
import java.util.Set;

/**
 * TCP keepalive keywords (CFG §4.2): {@code option clitcpka|srvtcpka|tcpka} and the per-side idle, interval and
 * count. Times are in seconds unless a unit is given, as in HAProxy.
 */
final class KeepaliveKeywords {

    private static final Set<Section> DFL = EnumSet.of(DEFAULTS, FRONTEND, LISTEN);
    private static final Set<Section> DLB = EnumSet.of(DEFAULTS, LISTEN, BACKEND);
    private static final Set<Section> DFLB = EnumSet.of(DEFAULTS, FRONTEND, LISTEN, BACKEND);

    private KeepaliveKeywords() {
    }

    static void register(KeywordRegistry.Builder b) {
        b.add(new Keyword("option clitcpka", DFL, "TCP keepalive probes on client-side sockets", true, false,
                (d, s) -> {
                    noArgs(d);
                    KeepaliveConfig k = s.proxy().keepalive();
                    s.proxy().keepalive(new KeepaliveConfig(!d.negated(), k.clientIdle(), k.clientInterval(),
                            k.clientCount(), k.server(), k.serverIdle(), k.serverInterval(), k.serverCount()));
                }));
        b.add(new Keyword("option srvtcpka", DLB, "TCP keepalive probes on server-side sockets", true, false,
                (d, s) -> {
                    noArgs(d);
                    KeepaliveConfig k = s.proxy().keepalive();
                    s.proxy().keepalive(new KeepaliveConfig(k.client(), k.clientIdle(), k.clientInterval(),
                            k.clientCount(), !d.negated(), k.serverIdle(), k.serverInterval(), k.serverCount()));
                }));
        b.add(new Keyword("option tcpka", DFLB, "TCP keepalive probes on both sides' sockets", true, false,
                (d, s) -> {
                    noArgs(d);
                    KeepaliveConfig k = s.proxy().keepalive();
                    boolean on = !d.negated();
                    s.proxy().keepalive(new KeepaliveConfig(on, k.clientIdle(), k.clientInterval(), k.clientCount(),
                            on, k.serverIdle(), k.serverInterval(), k.serverCount()));
                }));
        b.add("clitcpka-idle", DFL, "idle time before the first client-side keepalive probe (seconds)", (d, s) -> {
            long v = seconds(d);
            KeepaliveConfig k = s.proxy().keepalive();
            s.proxy().keepalive(new KeepaliveConfig(k.client(), v, k.clientInterval(), k.clientCount(), k.server(),
                    k.serverIdle(), k.serverInterval(), k.serverCount()));
        });
        b.add("clitcpka-intvl", DFL, "time between client-side keepalive probes (seconds)", (d, s) -> {
            long v = seconds(d);
            KeepaliveConfig k = s.proxy().keepalive();
            s.proxy().keepalive(new KeepaliveConfig(k.client(), k.clientIdle(), v, k.clientCount(), k.server(),
                    k.serverIdle(), k.serverInterval(), k.serverCount()));
        });
        b.add("clitcpka-cnt", DFL, "unanswered client-side probes before the connection is dropped", (d, s) -> {
            int v = count(d);
            KeepaliveConfig k = s.proxy().keepalive();
            s.proxy().keepalive(new KeepaliveConfig(k.client(), k.clientIdle(), k.clientInterval(), v, k.server(),
                    k.serverIdle(), k.serverInterval(), k.serverCount()));
        });
        b.add("srvtcpka-idle", DLB, "idle time before the first server-side keepalive probe (seconds)", (d, s) -> {
            long v = seconds(d);
            KeepaliveConfig k = s.proxy().keepalive();
            s.proxy().keepalive(new KeepaliveConfig(k.client(), k.clientIdle(), k.clientInterval(), k.clientCount(),
                    k.server(), v, k.serverInterval(), k.serverCount()));
        });
        b.add("srvtcpka-intvl", DLB, "time between server-side keepalive probes (seconds)", (d, s) -> {
            long v = seconds(d);
            KeepaliveConfig k = s.proxy().keepalive();
            s.proxy().keepalive(new KeepaliveConfig(k.client(), k.clientIdle(), k.clientInterval(), k.clientCount(),
                    k.server(), k.serverIdle(), v, k.serverCount()));
        });
        b.add("srvtcpka-cnt", DLB, "unanswered server-side probes before the connection is dropped", (d, s) -> {
            int v = count(d);
            KeepaliveConfig k = s.proxy().keepalive();
            s.proxy().keepalive(new KeepaliveConfig(k.client(), k.clientIdle(), k.clientInterval(), k.clientCount(),
                    k.server(), k.serverIdle(), k.serverInterval(), v));
        });
    }

    private static void noArgs(Directive d) throws ConfigException {
        if (d.argCount() > 0) {
            throw d.error("takes no argument, found '" + d.arg(0) + "'");
        }
    }

    /** A time in seconds: a bare number is seconds (HAProxy's unit here), otherwise any time unit, at least 1 s. */
    private static long seconds(Directive d) throws ConfigException {
        d.expectArgs(1, "<time>");
        String a = d.arg(0);
        if (a.chars().allMatch(Character::isDigit)) {
            long v = Long.parseLong(a);
            if (v < 1 || v > 32767) {
                throw d.error("must be between 1 and 32767 seconds, found " + a);
            }
            return v;
        }
        long millis = d.timeArg(0);
        long v = Math.max(1, (millis + 999) / 1000);
        if (v > 32767) {
            throw d.error("must be at most 32767 seconds, found " + a);
        }
        return v;
    }

    private static int count(Directive d) throws ConfigException {
        d.expectArgs(1, "<count>");
        int v = d.countArg(0);
        if (v < 1 || v > 127) {
            throw d.error("must be between 1 and 127, found " + d.arg(0));
        }
        return v;
    }
}
