package dev.tether.rules;

import dev.tether.log.LogEnvironment;
import dev.tether.model.FrontendModel;
import dev.tether.spi.FetchKeyword;
import dev.tether.spi.SampleType;
import dev.tether.spi.SessionView;
import io.netty.buffer.ByteBufUtil;
import io.netty.util.NetUtil;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Fetches of HAProxy's internal states and constants (CFG §7.3.2) and of the session's frontend (§7.3.3): values
 * written in the configuration ({@code always_true}, {@code always_false}, {@code str}, {@code int}, {@code bool},
 * {@code ipv4}, {@code ipv6}, {@code bin}), the process's environment and host name, the clock, a random number, and
 * {@code fe_name}, {@code fe_id}, {@code fe_conn}. Arguments are checked once, at load time.
 */
final class InternalFetches {

    private InternalFetches() {
    }

    static void register(SampleRegistry.Builder b) {
        b.fetch(FetchKeyword.of("always_true", SampleType.BOOL, "true, always", s -> Boolean.TRUE));
        b.fetch(FetchKeyword.of("always_false", SampleType.BOOL, "false, always", s -> Boolean.FALSE));
        b.fetch(new FetchKeyword("str", SampleType.STR, "the string written: str(<string>)", args -> {
            String v = SampleArgs.optionalName(args, "<string>");
            return s -> v;
        }));
        b.fetch(new FetchKeyword("int", SampleType.INT, "the signed integer written: int(<integer>)", args -> {
            Long v = SampleArgs.integer(SampleArgs.name(args, "<integer>").trim(), "integer", Long.MIN_VALUE,
                    Long.MAX_VALUE);
            return s -> v;
        }));
        b.fetch(new FetchKeyword("bool", SampleType.BOOL, "the boolean written: bool(true|false|1|0)", args -> {
            String v = SampleArgs.name(args, "true, false, 1 or 0").trim();
            Boolean value = switch (v) {
                case "true", "1" -> Boolean.TRUE;
                case "false", "0" -> Boolean.FALSE;
                default -> throw new IllegalArgumentException("expects true, false, 1 or 0, found '" + v + "'");
            };
            return s -> value;
        }));
        b.fetch(new FetchKeyword("ipv4", SampleType.IP, "the IPv4 address written: ipv4(<address>)",
                args -> address(args, true)));
        b.fetch(new FetchKeyword("ipv6", SampleType.IP, "the IPv6 address written: ipv6(<address>)",
                args -> address(args, false)));
        b.fetch(new FetchKeyword("bin", SampleType.BIN, "the bytes written in hexadecimal: bin(<hex>)", args -> {
            String hex = SampleArgs.name(args, "<hex>").trim();
            byte[] bytes;
            try {
                bytes = ByteBufUtil.decodeHexDump(hex);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("expects hexadecimal digits in pairs, found '" + hex + "'");
            }
            return s -> bytes.clone();
        }));
        b.fetch(new FetchKeyword("env", SampleType.STR, "an environment variable of the process: env(<name>)",
                args -> {
                    // read once: Tether's environment does not change while it runs
                    String v = System.getenv(SampleArgs.name(args, "<name>").trim());
                    return s -> v;
                }));
        String host = LogEnvironment.systemHostname();
        b.fetch(FetchKeyword.of("hostname", SampleType.STR, "the host name of the machine", s -> host));
        b.fetch(new FetchKeyword("date", SampleType.INT, "seconds since the epoch now, plus an offset:"
                + " date([<offset>])", args -> {
                    long offset = args.isEmpty() ? 0 : SampleArgs.integer(SampleArgs.name(args, "[<offset>]").trim(),
                            "offset", Integer.MIN_VALUE, Integer.MAX_VALUE);
                    return s -> System.currentTimeMillis() / 1000 + offset;
                }));
        b.fetch(new FetchKeyword("rand", SampleType.INT, "a random integer from 0 below the range (default 2^32):"
                + " rand([<range>])", args -> {
                    long range = args.isEmpty() ? 1L << 32 : SampleArgs.integer(SampleArgs.name(args,
                            "[<range>]").trim(), "range", 1, 1L << 32);
                    return s -> ThreadLocalRandom.current().nextLong(range);
                }));
        b.fetch(FetchKeyword.of("fe_name", SampleType.STR, "the name of the frontend that accepted the session",
                SessionView::frontendName));
        b.fetch(FetchKeyword.of("fe_id", SampleType.INT, "the id of the frontend that accepted the session", s -> {
            FrontendModel fe = frontend(s, "");
            return fe == null ? null : (long) fe.id();
        }));
        b.fetch(new FetchKeyword("fe_conn", SampleType.INT, "connections established on a frontend now:"
                + " fe_conn([<frontend>])", args -> {
                    String name = SampleArgs.optionalName(args, "[<frontend>]");
                    return s -> {
                        FrontendModel fe = frontend(s, name);
                        return fe == null ? null : (long) fe.counter().current();
                    };
                }));
    }

    private static FrontendModel frontend(SessionView session, String name) {
        return session instanceof CoreSessionView ? ((CoreSessionView) session).frontend(name) : null;
    }

    private static dev.tether.spi.Fetch address(List<String> args, boolean v4) {
        String text = SampleArgs.name(args, "<address>").trim();
        byte[] raw = NetUtil.createByteArrayFromIpAddressString(text);
        InetAddress a;
        try {
            a = raw == null ? null : InetAddress.getByAddress(raw);
        } catch (java.net.UnknownHostException e) {
            a = null;
        }
        if (a == null || (v4 ? !(a instanceof Inet4Address) : !(a instanceof Inet6Address))) {
            throw new IllegalArgumentException("expects an " + (v4 ? "IPv4" : "IPv6") + " address, found '" + text
                    + "'");
        }
        InetAddress value = a;
        return s -> value;
    }
}
