package dev.tether.rules;

import dev.tether.spi.SampleType;

import dev.tether.spi.FetchKeyword;

import dev.tether.spi.Fetch;

import dev.tether.model.BackendModel;
import dev.tether.model.ServerModel;
import dev.tether.spi.SessionView;
import java.util.List;
import java.util.function.BiFunction;

/**
 * Fetches about backends and servers (CFG §7.3.2, §7.3.3): {@code be_conn}, {@code be_conn_free}, {@code nbsrv},
 * {@code connslots}, {@code queue}, {@code avg_queue}, {@code be_id}, {@code be_name}, and of one server
 * {@code srv_is_up}, {@code srv_conn}, {@code srv_conn_free}, {@code srv_queue}, and of the session's server
 * {@code srv_id} and {@code srv_name}. Backends are found at run time through {@link CoreSessionView#backend}, so a
 * reload's new model is seen at once; without a backend argument the session's backend is meant, and there is no
 * sample before one is chosen. A plain {@link SessionView} (a plugin's) has no sample either. They read counters
 * other event loops update: the answer is a snapshot.
 */
final class BackendFetches {

    private BackendFetches() {
    }

    static void register(SampleRegistry.Builder b) {
        b.fetch(backendFetch("be_conn", "connections established on the backend now: be_conn([<backend>])",
                (be, now) -> be.counter() == null ? 0L : (long) be.counter().current()));
        b.fetch(backendFetch("nbsrv", "servers of the backend that may take a balanced session now (up, not drained"
                + ", weight above 0); the backups' when no active server may: nbsrv([<backend>])",
                BackendFetches::usableServers));
        b.fetch(backendFetch("connslots", "free connection slots plus free queue places over the servers not down;"
                + " -1 when one of them has no maxconn or no maxqueue: connslots([<backend>])",
                BackendFetches::connectionSlots));
        b.fetch(backendFetch("queue", "sessions waiting in the backend's and its servers' queues:"
                + " queue([<backend>])", (be, now) -> (long) be.queue().size()));
        b.fetch(new FetchKeyword("srv_is_up", SampleType.BOOL, "whether a server is up: neither down nor in"
                + " maintenance (a drained server is up): srv_is_up([<backend>/]<server>)",
                args -> serverFetch(args, (be, s) -> s.state().usable())));
        b.fetch(backendFetch("be_conn_free", "free connection slots over the servers that take balanced sessions"
                + " (the backups' when only they do); -1 when one of them has no maxconn: be_conn_free([<backend>])",
                BackendFetches::freeConnections));
        b.fetch(backendFetch("avg_queue", "sessions waiting in the backend's and its servers' queues, divided by the"
                + " servers that may take them: avg_queue([<backend>])",
                (be, now) -> {
                    // HAProxy's: rounded up, and twice the queue when no server may take a session
                    long servers = usableServers(be, now);
                    return servers == 0 ? 2L * be.queue().size() : (be.queue().size() + servers - 1) / servers;
                }));
        b.fetch(new FetchKeyword("srv_conn", SampleType.INT, "connections established on a server now:"
                + " srv_conn([<backend>/]<server>)", args -> serverFetch(args,
                        (be, s) -> (long) s.state().connections().current())));
        b.fetch(new FetchKeyword("srv_conn_free", SampleType.INT, "free connection slots of a server; -1 without"
                + " maxconn: srv_conn_free([<backend>/]<server>)", args -> serverFetch(args,
                        (be, s) -> freeConnections(s, System.nanoTime()))));
        b.fetch(new FetchKeyword("srv_queue", SampleType.INT, "sessions waiting in a server's own queue:"
                + " srv_queue([<backend>/]<server>)", args -> serverFetch(args, (be, s) -> (long) be.queue().size(s))));
        b.fetch(FetchKeyword.of("be_id", SampleType.INT, "the id of the session's backend", session -> {
            BackendModel be = backend(session, "");
            return be == null ? null : (long) be.id();
        }));
        b.fetch(FetchKeyword.of("be_name", SampleType.STR, "the name of the session's backend", session -> {
            BackendModel be = backend(session, "");
            return be == null ? null : be.name();
        }));
        b.fetch(FetchKeyword.of("srv_id", SampleType.INT, "the id of the session's server", session -> {
            ServerModel s = server(session);
            return s == null ? null : (long) s.id();
        }));
        b.fetch(FetchKeyword.of("srv_name", SampleType.STR, "the name of the session's server", session -> {
            ServerModel s = server(session);
            return s == null ? null : s.name();
        }));
    }

    private static ServerModel server(SessionView session) {
        return session instanceof CoreSessionView ? ((CoreSessionView) session).server() : null;
    }

    /**
     * HAProxy's be_conn_free: {@code maxconn - current} summed over the servers a balanced session may go to now,
     * the active ones, else the backups; -1 as soon as one of them has no limit.
     */
    private static Long freeConnections(BackendModel be, long now) {
        boolean anyActive = false;
        for (ServerModel s : be.servers()) {
            anyActive |= !s.backup() && s.state().balanceable(now);
        }
        long free = 0;
        for (ServerModel s : be.servers()) {
            if (!s.state().balanceable(now) || s.backup() == anyActive) {
                continue;
            }
            long one = freeConnections(s, now);
            if (one < 0) {
                return -1L;
            }
            free += one;
        }
        return free;
    }

    private static long freeConnections(ServerModel s, long now) {
        int max = s.maxConnNow(now);
        return max <= 0 ? -1 : Math.max(0, max - s.state().connections().current());
    }

    private static FetchKeyword backendFetch(String name, String summary,
            BiFunction<BackendModel, Long, Long> value) {
        return new FetchKeyword(name, SampleType.INT, summary, args -> {
            String backend = SampleArgs.optionalName(args, "[<backend>]");
            return session -> {
                BackendModel be = backend(session, backend);
                return be == null ? null : value.apply(be, System.nanoTime());
            };
        });
    }

    private static BackendModel backend(SessionView session, String name) {
        return session instanceof CoreSessionView ? ((CoreSessionView) session).backend(name) : null;
    }

    /**
     * HAProxy counts the active servers that are usable, else, when none is, the backups: all of them with
     * {@code option allbackups}, otherwise 1 (only the first backup takes traffic).
     */
    private static Long usableServers(BackendModel be, long now) {
        long active = 0;
        long backups = 0;
        for (ServerModel s : be.servers()) {
            if (s.state().balanceable(now)) {
                if (s.backup()) {
                    backups++;
                } else {
                    active++;
                }
            }
        }
        if (active > 0 || backups == 0) {
            return active;
        }
        return be.options().allBackups() ? backups : 1L;
    }

    /**
     * HAProxy sums {@code (maxconn - current) + (maxqueue - queued)} over the servers that are not stopped (down or
     * in maintenance), and answers -1 as soon as one of them is unlimited in either (no maxconn or no maxqueue),
     * since the slots are then unbounded.
     */
    private static Long connectionSlots(BackendModel be, long now) {
        long slots = 0;
        for (ServerModel s : be.servers()) {
            if (!s.state().usable()) {
                continue;
            }
            int maxConn = s.maxConnNow(now);
            int maxQueue = s.options().maxQueue();
            if (maxConn <= 0 || maxQueue <= 0) {
                return -1L;
            }
            slots += (maxConn - s.state().connections().current()) + (maxQueue - be.queue().size(s));
        }
        return slots;
    }

    /** A fetch about the server {@code [<backend>/]<server>} names; without a backend, the session's. */
    private static Fetch serverFetch(List<String> args, BiFunction<BackendModel, ServerModel, Object> value) {
        String target = SampleArgs.name(args, "[<backend>/]<server>");
        int slash = target.indexOf('/');
        String backend = slash < 0 ? "" : target.substring(0, slash);
        String server = target.substring(slash + 1);
        if (server.isEmpty() || (slash >= 0 && backend.isEmpty())) {
            throw new IllegalArgumentException("expects [<backend>/]<server>, found '" + target + "'");
        }
        return session -> {
            BackendModel be = backend(session, backend);
            ServerModel s = be == null ? null : be.server(server);
            return s == null ? null : value.apply(be, s);
        };
    }
}
