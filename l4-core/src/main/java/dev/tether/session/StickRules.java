package dev.tether.session;

import dev.tether.config.StickRuleConfig;
import dev.tether.model.BackendModel;
import dev.tether.model.PersistenceModel;
import dev.tether.model.ServerModel;
import dev.tether.spi.Fetch;
import dev.tether.spi.SessionView;
import dev.tether.stick.StickEntry;
import dev.tether.stick.StickTable;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.util.List;

/**
 * A backend's stick rules for one session (reference §3.2): {@code stick match} finds the server an entry names,
 * {@code stick on}/{@code store-request} remember the request's key and store it once the server connection is
 * established (so a redispatch is reflected), {@code stick store-response} stores a key from the server's first
 * bytes. Entries name servers by id, so a table shared by two backends pairs their servers by id. Session event
 * loop only.
 */
final class StickRules {

    /** Logged under the session's name: operators and tests select session lines by that logger. */
    private static final Logger LOG = LoggerFactory.getLogger(Session.class);

    /** HAProxy keeps at most this many stores per request and per response. */
    private static final int MAX_STORES = 8;

    /** A key to store once the server is known. */
    private record PendingStore(StickTable table, Object key) {
    }

    private final List<PendingStore> requestStores = new ArrayList<>(2);

    private StickRules() {
    }

    static StickRules none() {
        return new StickRules();
    }

    /**
     * The server the first matching {@code stick match}/{@code stick on} rule's entry names, if it may take the
     * session: usable (a drained server still takes its persistent clients), or down with {@code option persist} or
     * a matching {@code force-persist}. Null when no entry applies; {@code ignore-persist} turns matching off. Using
     * an entry refreshes its expiry.
     */
    static ServerModel match(SessionView session, BackendModel backend) {
        PersistenceModel p = backend.persistence();
        if (p.stickRules().isEmpty() || persistRule(session, p, false)) {
            return null;
        }
        for (PersistenceModel.StickRule rule : p.stickRules()) {
            if (!rule.matches() || !rule.condition().test(session)) {
                continue;
            }
            Object key = key(session, rule);
            if (key == null) {
                continue;
            }
            StickEntry e = rule.table().lookup(key);
            if (e == null || e.serverId() == 0) {
                continue;
            }
            ServerModel srv = backend.server(e.serverId());
            if (srv == null) {
                continue;
            }
            if (srv.state().usable() || backend.options().persist() || persistRule(session, p, true)) {
                rule.table().touch(key);
                return srv;
            }
        }
        return null;
    }

    /**
     * The server the first {@code use-server} rule that holds names, as HAProxy's {@code process_server_rules}: a
     * server that cannot take sessions (down, in maintenance) is skipped for the next rule unless {@code option
     * persist} or a {@code force-persist} rule holds; a dynamic name that names no server ends the rules, and the
     * session is balanced.
     */
    static ServerModel useServer(SessionView session, BackendModel backend) {
        PersistenceModel p = backend.persistence();
        for (PersistenceModel.UseServerRule rule : p.useServerRules()) {
            if (!rule.condition().test(session)) {
                continue;
            }
            ServerModel srv = rule.target(session, backend);
            if (srv == null) {
                return null;
            }
            if (srv.state().usable() || backend.options().persist() || persistRule(session, p, true)) {
                return srv;
            }
        }
        return null;
    }

    /**
     * The server a plugin's {@code persist <rule>} names by address, when it may take the session (usable, or
     * {@code option persist} / {@code force-persist}); null otherwise. A rule naming no server of the backend is
     * logged and balancing decides, as HAProxy does for a routing token naming an unknown server.
     */
    static ServerModel persistTarget(SessionView session, BackendModel backend) {
        PersistenceModel p = backend.persistence();
        if (p.serverRules().isEmpty() || persistRule(session, p, false)) {
            return null;
        }
        for (PersistenceModel.ServerRule rule : p.serverRules()) {
            Object named = rule.rule().server(session);
            if (!(named instanceof InetSocketAddress)) {
                continue;
            }
            InetSocketAddress address = (InetSocketAddress) named;
            ServerModel srv = serverAt(backend, address);
            if (srv == null) {
                LOG.info("{} {}: persist {} names {}, which is no server of backend {}; balancing instead",
                        session.frontendName(), session.sourceForLog(), rule.name(), address, backend.name());
                continue;
            }
            if (srv.state().usable() || backend.options().persist() || persistRule(session, p, true)) {
                return srv;
            }
        }
        return null;
    }

    private static ServerModel serverAt(BackendModel backend, InetSocketAddress address) {
        for (ServerModel s : backend.servers()) {
            if (s.addressNow() != null && s.addressNow().equals(address.getAddress())
                    && s.fixedPortNow() == address.getPort()) {
                return s;
            }
        }
        return null;
    }

    /** Evaluates the request's store rules now, while the request is at hand; stores them at {@link #commit}. */
    void collectRequestStores(SessionView session, BackendModel backend) {
        collect(session, backend, requestStores, true);
    }

    /** The server connection is established with {@code srv}: the request's keys now name it. */
    void commit(ServerModel srv) {
        store(requestStores, srv);
        requestStores.clear();
    }

    /** Evaluates {@code stick store-response} rules on the server's first bytes and stores their keys. */
    static void storeResponse(SessionView session, BackendModel backend, ServerModel srv) {
        List<PendingStore> stores = new ArrayList<>(1);
        collect(session, backend, stores, false);
        store(stores, srv);
    }

    private static void collect(SessionView session, BackendModel backend, List<PendingStore> into, boolean request) {
        for (PersistenceModel.StickRule rule : backend.persistence().stickRules()) {
            boolean applies = request ? rule.storesRequest() : rule.kind() == StickRuleConfig.Kind.STORE_RESPONSE;
            if (!applies || into.size() >= MAX_STORES || hasTable(into, rule.table())) {
                continue; // only the first store rule of each table is kept, as in HAProxy
            }
            if (!rule.condition().test(session)) {
                continue;
            }
            Object key = key(session, rule);
            if (key != null) {
                into.add(new PendingStore(rule.table(), key));
            }
        }
    }

    private static void store(List<PendingStore> stores, ServerModel srv) {
        for (PendingStore s : stores) {
            StickEntry e = s.table().touch(s.key());
            if (e != null) {
                e.serverId(srv.id());
            }
        }
    }

    private static boolean hasTable(List<PendingStore> stores, StickTable t) {
        for (PendingStore s : stores) {
            if (s.table() == t) {
                return true;
            }
        }
        return false;
    }

    private static Object key(SessionView session, PersistenceModel.StickRule rule) {
        Object sample = rule.expression().evaluate(session);
        if (sample == null || sample == Fetch.NEED_MORE_DATA) {
            return null;
        }
        return rule.table().key(sample);
    }

    /** Whether a {@code force-persist} ({@code force}) or {@code ignore-persist} rule matches. */
    private static boolean persistRule(SessionView session, PersistenceModel p, boolean force) {
        for (PersistenceModel.PersistRule r : p.persistRules()) {
            if (r.force() == force && r.condition().test(session)) {
                return true;
            }
        }
        return false;
    }
}
