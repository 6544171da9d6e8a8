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
 * Fetches about backends and servers (CFG §7.3.2): {@code be_conn}, {@code nbsrv}, {@code connslots},
 * {@code queue} and {@code srv_is_up}. Backends are found at run time through {@link CoreSessionView#backend}, so a
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
                + " maintenance (a drained server is up): srv_is_up([<backend>/]<server>)", BackendFetches::serverUp));
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

    private static Fetch serverUp(List<String> args) {
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
            return s == null ? null : s.state().usable();
        };
    }
}
