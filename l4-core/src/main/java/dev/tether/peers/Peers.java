package dev.tether.peers;

import dev.tether.config.PeersConfig;
import dev.tether.config.StickTableConfig;
import dev.tether.runtime.PeersView;
import dev.tether.stick.StickTable;
import dev.tether.transport.Transport;
import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every enabled {@code peers} section of a configuration, running. A section is replicated when it names this
 * process (the peer whose name is the local peer name); one that does not is left out with a warning, as HAProxy
 * drops such a section. The tables of a section are those it declares ({@code <section>/<table>}) and those whose
 * {@code stick-table} line names it with {@code peers}.
 */
public final class Peers implements AutoCloseable, PeersView {

    private static final Logger LOG = LoggerFactory.getLogger(Peers.class);
    private static final DateTimeFormatter STARTED = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss",
            Locale.ROOT);

    /** No sections. */
    public static final Peers NONE = new Peers(List.of());

    private final List<PeerGroup> groups;
    private final String startedAt = STARTED.format(ZonedDateTime.now());

    private Peers(List<PeerGroup> groups) {
        this.groups = List.copyOf(groups);
    }

    @Override
    public String show(String section) {
        StringBuilder out = new StringBuilder();
        for (PeerGroup g : groups) {
            if (section.isEmpty() || g.section().equals(section)) {
                out.append(g.describe(startedAt)).append('\n');
            }
        }
        return out.length() == 0 && !section.isEmpty() ? null : out.toString();
    }

    /**
     * Starts the sections: binds each local peer's address and starts connecting to the others. Fails (closing what
     * it started) when an address does not bind.
     *
     * @param tables every stick table by name
     * @param names the server names of the backend a table routes for; null for a table that routes for none
     * @param localName this process's peer name
     */
    public static Peers start(List<PeersConfig> sections, Map<String, StickTable> tables,
            Function<StickTable, ServerNames> names, String localName, EventLoopGroup group, Transport transport)
            throws IOException {
        List<PeerGroup> started = new ArrayList<>();
        try {
            for (PeersConfig p : sections) {
                if (p.disabled()) {
                    continue;
                }
                PeerGroup g = startSection(p, tables, names, localName, group, transport);
                if (g != null) {
                    started.add(g);
                }
            }
        } catch (IOException | RuntimeException e) {
            started.forEach(PeerGroup::close);
            throw e;
        }
        return new Peers(started);
    }

    private static PeerGroup startSection(PeersConfig p, Map<String, StickTable> tables,
            Function<StickTable, ServerNames> names, String localName, EventLoopGroup group, Transport transport)
            throws IOException {
        PeersConfig.Peer local = null;
        Map<String, InetSocketAddress> remotes = new LinkedHashMap<>();
        for (PeersConfig.Peer peer : p.peers()) {
            if (peer.name().equals(localName)) {
                local = peer;
            } else if (peer.address().isEmpty()) {
                LOG.warn("peers {}: peer {} ({}) has no address and is not this process ('{}'); skipped", p.name(),
                        peer.name(), peer.location(), localName);
            } else {
                remotes.put(peer.name(), address(peer.address()));
            }
        }
        if (local == null) {
            LOG.warn("peers section '{}' ({}) has no peer named '{}' (localpeer, -L or the host name): its tables"
                    + " are not replicated", p.name(), p.location(), localName);
            return null;
        }
        String listen = local.address().isEmpty() ? p.bind() : local.address();
        List<TableSync> syncs = new ArrayList<>();
        for (StickTable t : tables.values()) {
            boolean own = declaredIn(t.name(), p);
            if (own || t.config().peers().equals(p.name())) {
                // a section's own table, <section>/<table> here, goes by /<table> between peers (HAProxy 2.6)
                String wireName = own ? t.name().substring(p.name().length()) : t.name();
                syncs.add(new TableSync(t, wireName, syncs.size() + 1, names.apply(t)));
            }
        }
        PeerGroup g = new PeerGroup(p.name(), localName, syncs, remotes, group, transport);
        try {
            g.start(listen.isEmpty() ? null : address(listen));
        } catch (IOException | RuntimeException e) {
            g.close();
            throw e;
        }
        return g;
    }

    /** Whether the section declares the table itself ({@code table <name>}, {@code <section>/<name>} here). */
    private static boolean declaredIn(String table, PeersConfig p) {
        for (StickTableConfig own : p.tables()) {
            if (own.name().equals(table)) {
                return true;
            }
        }
        return false;
    }

    /** {@code host:port} or {@code [v6]:port}, as the configuration checked it. */
    static InetSocketAddress address(String text) {
        int colon = text.lastIndexOf(':');
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        if (host.isEmpty() || host.equals("*")) {
            host = "0.0.0.0";
        }
        return new InetSocketAddress(host, Integer.parseInt(text.substring(colon + 1)));
    }

    public List<PeerGroup> groups() {
        return groups;
    }

    /** The running section of that name, or null. */
    public PeerGroup group(String section) {
        for (PeerGroup g : groups) {
            if (g.section().equals(section)) {
                return g;
            }
        }
        return null;
    }

    /**
     * Hands every section's entries over to the process that replaces this one (see {@link PeerGroup#handOver});
     * completes when all are done, at the latest after {@code boundMillis}.
     */
    public CompletableFuture<Void> handOver(long boundMillis) {
        return CompletableFuture.allOf(groups.stream().map(g -> g.handOver(boundMillis))
                .toArray(CompletableFuture[]::new));
    }

    @Override
    public void close() {
        groups.forEach(PeerGroup::close);
    }
}
