package dev.tether.config;

import java.util.List;
import java.util.Objects;

/**
 * The options of a {@code server} line after {@code default-server} inheritance (CFG §5.2). Times in ms.
 *
 * @param check health checks on; without it the server is always considered operational
 * @param inter check interval while fully up (default 2000)
 * @param fastInter interval while going up or down; 0 = not set, resolved to {@code inter} by the model
 * @param downInter interval while fully down; 0 = not set, resolved to {@code inter} by the model
 * @param rise consecutive successes to mark a down server up (default 2)
 * @param fall consecutive failures to mark an up server down (default 3)
 * @param checkPort port the checks connect to; 0 = the server's port
 * @param checkAddr address the checks connect to; "" = the server's address
 * @param weight 0..256, default 1; 0 = takes no new balanced sessions but keeps persistent ones (DRAIN)
 * @param backup used only when no active server is usable
 * @param maxConn concurrent connections to the server; 0 = unlimited; the excess waits in the queue
 * @param maxQueue entries in this server's queue; 0 = unlimited
 * @param slowStart after coming back up, weight and maxconn ramp from 1 to 100 % over this time; 0 = off
 * @param disabled starts in forced maintenance
 * @param observe passive health: observe connection outcomes of real traffic
 * @param errorLimit consecutive observed errors before {@code onError} applies (default 10)
 * @param source outgoing source address of connections to this server (and its checks); null = the kernel's choice
 * @param tcpUserTimeout {@code tcp-ut}: TCP_USER_TIMEOUT of connections to the server, ms; 0 = the system's
 * @param proxy the PROXY protocol header sent on connections to the server and its checks
 * @param initAddr resolution methods tried in order at start: "libc", "none", or an IP literal ("last" is
 *     accepted and skipped: Tether keeps no server-state file)
 * @param track {@code track [<backend>/]<server>}: the server takes its state from that one instead of checking
 *     itself; "" = none
 * @param agent the agent check ({@code agent-check}, {@code agent-port} and the rest)
 * @param resolve resolution at run time ({@code resolvers}, {@code resolve-prefer}, {@code resolve-net},
 *     {@code resolve-opts})
 */
public record ServerOptions(
        boolean check,
        long inter,
        long fastInter,
        long downInter,
        int rise,
        int fall,
        int checkPort,
        String checkAddr,
        int weight,
        boolean backup,
        int maxConn,
        int maxQueue,
        long slowStart,
        boolean disabled,
        Observe observe,
        int errorLimit,
        OnError onError,
        OnMarkedDown onMarkedDown,
        OnMarkedUp onMarkedUp,
        SourceAddress source,
        List<String> initAddr,
        ProxyHeaderOptions proxy,
        long tcpUserTimeout,
        String track,
        AgentOptions agent,
        ResolveOptions resolve) {

    public static final ServerOptions DEFAULTS = new ServerOptions(false, 2000, 0, 0, 2, 3, 0, "", 1, false, 0, 0,
            0, false, Observe.NONE, 10, OnError.FAIL_CHECK, OnMarkedDown.KEEP, OnMarkedUp.KEEP, null,
            List.of("libc"), ProxyHeaderOptions.NONE, 0, "", AgentOptions.NONE, ResolveOptions.NONE);

    /** Options without a PROXY protocol header. */
    public ServerOptions(boolean check, long inter, long fastInter, long downInter, int rise, int fall, int checkPort,
            String checkAddr, int weight, boolean backup, int maxConn, int maxQueue, long slowStart, boolean disabled,
            Observe observe, int errorLimit, OnError onError, OnMarkedDown onMarkedDown, OnMarkedUp onMarkedUp,
            SourceAddress source, List<String> initAddr) {
        this(check, inter, fastInter, downInter, rise, fall, checkPort, checkAddr, weight, backup, maxConn, maxQueue,
                slowStart, disabled, observe, errorLimit, onError, onMarkedDown, onMarkedUp, source, initAddr,
                ProxyHeaderOptions.NONE, 0, "");
    }

    /** Options that track no server. */
    public ServerOptions(boolean check, long inter, long fastInter, long downInter, int rise, int fall, int checkPort,
            String checkAddr, int weight, boolean backup, int maxConn, int maxQueue, long slowStart, boolean disabled,
            Observe observe, int errorLimit, OnError onError, OnMarkedDown onMarkedDown, OnMarkedUp onMarkedUp,
            SourceAddress source, List<String> initAddr, ProxyHeaderOptions proxy, long tcpUserTimeout) {
        this(check, inter, fastInter, downInter, rise, fall, checkPort, checkAddr, weight, backup, maxConn, maxQueue,
                slowStart, disabled, observe, errorLimit, onError, onMarkedDown, onMarkedUp, source, initAddr, proxy,
                tcpUserTimeout, "", AgentOptions.NONE);
    }

    /** Options without an agent check. */
    public ServerOptions(boolean check, long inter, long fastInter, long downInter, int rise, int fall, int checkPort,
            String checkAddr, int weight, boolean backup, int maxConn, int maxQueue, long slowStart, boolean disabled,
            Observe observe, int errorLimit, OnError onError, OnMarkedDown onMarkedDown, OnMarkedUp onMarkedUp,
            SourceAddress source, List<String> initAddr, ProxyHeaderOptions proxy, long tcpUserTimeout,
            String track) {
        this(check, inter, fastInter, downInter, rise, fall, checkPort, checkAddr, weight, backup, maxConn, maxQueue,
                slowStart, disabled, observe, errorLimit, onError, onMarkedDown, onMarkedUp, source, initAddr, proxy,
                tcpUserTimeout, track, AgentOptions.NONE);
    }

    /** Options without resolution at run time. */
    public ServerOptions(boolean check, long inter, long fastInter, long downInter, int rise, int fall, int checkPort,
            String checkAddr, int weight, boolean backup, int maxConn, int maxQueue, long slowStart, boolean disabled,
            Observe observe, int errorLimit, OnError onError, OnMarkedDown onMarkedDown, OnMarkedUp onMarkedUp,
            SourceAddress source, List<String> initAddr, ProxyHeaderOptions proxy, long tcpUserTimeout,
            String track, AgentOptions agent) {
        this(check, inter, fastInter, downInter, rise, fall, checkPort, checkAddr, weight, backup, maxConn, maxQueue,
                slowStart, disabled, observe, errorLimit, onError, onMarkedDown, onMarkedUp, source, initAddr, proxy,
                tcpUserTimeout, track, agent, ResolveOptions.NONE);
    }

    public ServerOptions {
        Objects.requireNonNull(checkAddr, "checkAddr");
        Objects.requireNonNull(resolve, "resolve");
        Objects.requireNonNull(observe, "observe");
        Objects.requireNonNull(onError, "onError");
        Objects.requireNonNull(onMarkedDown, "onMarkedDown");
        Objects.requireNonNull(onMarkedUp, "onMarkedUp");
        initAddr = List.copyOf(initAddr);
        Objects.requireNonNull(proxy, "proxy");
        Objects.requireNonNull(track, "track");
        Objects.requireNonNull(agent, "agent");
        if (weight < 0 || weight > 256) {
            throw new IllegalArgumentException("weight " + weight + " outside 0..256");
        }
        if (rise < 1 || fall < 1) {
            throw new IllegalArgumentException("rise and fall must be >= 1");
        }
    }

    /** The backend of the server {@code track} names: the one written before its slash, else {@code ownBackend}. */
    public String trackBackend(String ownBackend) {
        int slash = track.indexOf('/');
        return slash < 0 ? ownBackend : track.substring(0, slash);
    }

    /** The name of the server {@code track} names, without its backend. */
    public String trackServer() {
        return track.substring(track.indexOf('/') + 1);
    }

    /** The port the agent listens on: {@code agent-port}, else the check's {@code port}, as in HAProxy; 0 = none. */
    public int agentPort() {
        return agent.port() > 0 ? agent.port() : checkPort;
    }

    /** The agent's address: {@code agent-addr}, else the check's {@code addr}, as in HAProxy; "" = the server's. */
    public String agentAddr() {
        return !agent.addr().isEmpty() ? agent.addr() : checkAddr;
    }

    /**
     * The agent check (CFG §5.2 agent-check): a connection to a small program beside the server that answers one
     * line of words setting the server's weight, administrative state or operational state.
     *
     * @param enabled {@code agent-check}
     * @param port {@code agent-port}; 0 = not set: the check's {@code port} ({@link #agentPort()}), which one of
     *     the two must give
     * @param addr {@code agent-addr}, an IP literal; "" = not set: the check's {@code addr}, else the server's
     *     address ({@link #agentAddr()})
     * @param inter {@code agent-inter}, ms (default 2000)
     * @param send {@code agent-send}: sent once connected; "" = nothing
     */
    public record AgentOptions(boolean enabled, int port, String addr, long inter, String send) {
        public static final AgentOptions NONE = new AgentOptions(false, 0, "", 2000, "");

        public AgentOptions {
            Objects.requireNonNull(addr, "addr");
            Objects.requireNonNull(send, "send");
        }

        AgentOptions withEnabled(boolean on) {
            return new AgentOptions(on, port, addr, inter, send);
        }

        AgentOptions withPort(int p) {
            return new AgentOptions(enabled, p, addr, inter, send);
        }

        AgentOptions withAddr(String a) {
            return new AgentOptions(enabled, port, a, inter, send);
        }

        AgentOptions withInter(long millis) {
            return new AgentOptions(enabled, port, addr, millis, send);
        }

        AgentOptions withSend(String text) {
            return new AgentOptions(enabled, port, addr, inter, text);
        }
    }

    /**
     * How the server's name is resolved while Tether runs (CFG §5.2, docs/resolvers.md).
     *
     * @param resolvers {@code resolvers <id>}: the section asked; "" = the name is resolved at start only
     * @param preferIpv4 {@code resolve-prefer ipv4}; HAProxy's default is ipv6
     * @param nets {@code resolve-net}: networks whose addresses are preferred, as written ({@code a.b.c.d/n},
     *     {@code x::/n})
     * @param allowDupIp {@code resolve-opts allow-dup-ip}: servers of one backend may share an address; by default
     *     each takes an address no other server of the backend holds
     * @param ignoreWeight {@code resolve-opts ignore-weight}: an SRV record's weight leaves the server's alone
     */
    public record ResolveOptions(String resolvers, boolean preferIpv4, List<String> nets, boolean allowDupIp,
            boolean ignoreWeight) {
        public static final ResolveOptions NONE = new ResolveOptions("", false, List.of(), false, false);

        public ResolveOptions {
            Objects.requireNonNull(resolvers, "resolvers");
            nets = List.copyOf(nets);
        }

        ResolveOptions withResolvers(String name) {
            return new ResolveOptions(name, preferIpv4, nets, allowDupIp, ignoreWeight);
        }

        ResolveOptions withPreferIpv4(boolean v4) {
            return new ResolveOptions(resolvers, v4, nets, allowDupIp, ignoreWeight);
        }

        ResolveOptions withNets(List<String> n) {
            return new ResolveOptions(resolvers, preferIpv4, n, allowDupIp, ignoreWeight);
        }

        ResolveOptions withOpts(boolean allow, boolean ignore) {
            return new ResolveOptions(resolvers, preferIpv4, nets, allow, ignore);
        }
    }

    /** {@code observe layer4|layer7}; Tether observes connection outcomes only, so layer7 is refused. */
    public enum Observe { NONE, LAYER4 }

    /** {@code on-error}: what observed errors do once {@code error-limit} is reached (CFG §5.2). */
    public enum OnError { FASTINTER, FAIL_CHECK, SUDDEN_DEATH, MARK_DOWN }

    /** What happens to a server's sessions when it is marked down. */
    public enum OnMarkedDown { KEEP, SHUTDOWN_SESSIONS, EVICT_SESSIONS }

    /** What happens to the backup servers' sessions when this active server comes up. */
    public enum OnMarkedUp { KEEP, SHUTDOWN_BACKUP_SESSIONS, EVICT_BACKUP_SESSIONS }

    /**
     * {@code send-proxy}, {@code send-proxy-v2}, {@code proxy-v2-options} and {@code check-send-proxy}.
     *
     * @param version the header sent before the relayed bytes
     * @param authority v2: forward the AUTHORITY TLV the client side's header carried
     * @param uniqueId v2: add a UNIQUE_ID TLV naming the session
     * @param crc32c v2: add a CRC32C TLV over the header
     * @param checks health checks send a v2 LOCAL header first
     * @param tlvFormats custom TLVs, in configuration order
     */
    public record ProxyHeaderOptions(Version version, boolean authority, boolean uniqueId, boolean crc32c,
            boolean checks, List<TlvFormat> tlvFormats) {

        public static final ProxyHeaderOptions NONE = new ProxyHeaderOptions(Version.NONE, false, false, false, false,
                List.of());

        public ProxyHeaderOptions {
            Objects.requireNonNull(version, "version");
            tlvFormats = List.copyOf(tlvFormats);
        }

        /** The same options with {@code version}. */
        public ProxyHeaderOptions withVersion(Version v) {
            return new ProxyHeaderOptions(v, authority, uniqueId, crc32c, checks, tlvFormats);
        }

        public enum Version { NONE, V1, V2 }

        /**
         * {@code set-proxy-v2-tlv-fmt(<type>) <format>}: a TLV whose value is the format's text, where each
         * {@code %[<sample expression>]} is replaced by its sample (e.g. {@code %[fc_pp_tlv(0x20)]} forwards a TLV
         * the client side's header carried).
         */
        public record TlvFormat(int type, String format) {
            public TlvFormat {
                Objects.requireNonNull(format, "format");
            }
        }
    }

    /** {@code source <addr>[:<port>]}: the local address (and optionally port, 0 = any) of outgoing connections. */
    public record SourceAddress(String host, int port) {
        public SourceAddress {
            Objects.requireNonNull(host, "host");
        }
    }
}
