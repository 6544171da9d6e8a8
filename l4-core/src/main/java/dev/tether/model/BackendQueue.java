package dev.tether.model;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The sessions of one backend waiting for a connection slot, first in first out (CFG §5.2 maxconn, maxqueue).
 * A session waits either for any server (every balanceable server was full) or for one server (the algorithm chose
 * it, as hashing does, and it was full). When a slot frees on a server, the oldest session waiting for that server
 * or for any server gets it, as HAProxy serves the older of the server's and the backend's queue heads.
 *
 * <p>Touched by sessions on every event loop and by control threads, rarely (only when servers are full), so one
 * lock is enough; callbacks to sessions run outside it.
 */
public final class BackendQueue {

    /** {@code served}: the sessions its queue had served when it came, for its position when it leaves. */
    private record Entry(long seq, QueuedSession session, ServerModel server, long served) {
    }

    private final ArrayDeque<Entry> any = new ArrayDeque<>();
    private final Map<ServerModel, ArrayDeque<Entry>> byServer = new HashMap<>();
    private long nextSeq;
    /** Sessions served from the queue for any server, and from each server's: HAProxy's queue idx. */
    private long servedAny;
    private final Map<ServerModel, long[]> servedByServer = new HashMap<>();
    /**
     * Written under the lock, read without it by {@link #slotFreed}: every session's close calls that, and an empty
     * queue must not cost a lock. A session that enqueues re-checks for a free slot after offering itself, so a
     * release that read 0 just before the offer is not lost.
     */
    private volatile int size;
    private int max;

    /**
     * Queues a session for {@code server}, or for any server when null. Returns false, queuing nothing, when the
     * server's queue already holds {@code maxQueue} sessions ({@code maxQueue <= 0}: unbounded).
     */
    public synchronized boolean offer(QueuedSession session, ServerModel server, int maxQueue) {
        Entry e = new Entry(nextSeq++, session, server, server == null ? servedAny : served(server)[0]);
        if (server == null) {
            any.addLast(e);
        } else {
            ArrayDeque<Entry> q = byServer.computeIfAbsent(server, k -> new ArrayDeque<>());
            if (maxQueue > 0 && q.size() >= maxQueue) {
                return false;
            }
            q.addLast(e);
        }
        size++;
        max = Math.max(max, size);
        return true;
    }

    /** Forgets a session that stopped waiting (timed out, closed). Returns whether it was queued. */
    public synchronized boolean remove(QueuedSession session) {
        if (removeFrom(any, session)) {
            return true;
        }
        for (ArrayDeque<Entry> q : byServer.values()) {
            if (removeFrom(q, session)) {
                return true;
            }
        }
        return false;
    }

    private boolean removeFrom(ArrayDeque<Entry> q, QueuedSession session) {
        for (Iterator<Entry> it = q.iterator(); it.hasNext();) {
            Entry e = it.next();
            if (e.session() == session) {
                it.remove();
                size--;
                left(e);
                return true;
            }
        }
        return false;
    }

    /**
     * A slot may have freed on {@code server} (a session released it, the server came up or got a higher limit):
     * hands slots to the oldest waiters for that server or for any server while the server has room and is
     * balanceable (drained servers still serve sessions queued for them by name).
     */
    public void slotFreed(ServerModel server) {
        if (size == 0) {
            return;
        }
        while (true) {
            Entry e;
            synchronized (this) {
                e = oldestFor(server);
                if (e == null) {
                    return;
                }
                long now = System.nanoTime();
                boolean eligible = e.server() != null ? server.state().usable() : server.state().balanceable(now);
                if (!eligible || !server.state().connections().tryIncrement(server.maxConnNow(now))) {
                    return;
                }
                pop(e);
            }
            if (!e.session().slotGranted(server)) {
                server.state().connections().decrement();
            }
        }
    }

    private Entry oldestFor(ServerModel server) {
        ArrayDeque<Entry> mine = byServer.get(server);
        Entry a = any.peekFirst();
        Entry s = mine == null ? null : mine.peekFirst();
        if (a == null) {
            return s;
        }
        if (s == null) {
            return a;
        }
        return s.seq() < a.seq() ? s : a;
    }

    private void pop(Entry e) {
        if (e.server() == null) {
            any.pollFirst();
        } else {
            byServer.get(e.server()).pollFirst();
        }
        size--;
        left(e);
        if (e.server() == null) {
            servedAny++;
        } else {
            served(e.server())[0]++;
        }
    }

    /** Tells the session its position, as HAProxy counts it: 1 plus those served from its queue while it waited. */
    private void left(Entry e) {
        long now = e.server() == null ? servedAny : served(e.server())[0];
        e.session().leftQueue(e.server() != null, (int) Math.min(Integer.MAX_VALUE, now - e.served() + 1));
    }

    private long[] served(ServerModel server) {
        return servedByServer.computeIfAbsent(server, k -> new long[1]);
    }

    /**
     * {@code server} went down or into maintenance: with {@code redispatch}, its waiters are taken out and asked to
     * choose again (HAProxy's pendconn_redistribute); without, they stay. Returns how many were redispatched.
     */
    public int serverDown(ServerModel server, boolean redispatch) {
        if (!redispatch) {
            return 0;
        }
        List<Entry> moved;
        synchronized (this) {
            ArrayDeque<Entry> q = byServer.remove(server);
            if (q == null) {
                return 0;
            }
            moved = new ArrayList<>(q);
            size -= moved.size();
            moved.forEach(this::left);
        }
        for (Entry e : moved) {
            e.session().redispatch(server);
        }
        return moved.size();
    }

    /** Sessions waiting now (qcur of the backend). */
    public synchronized int size() {
        return size;
    }

    /** Sessions waiting for this server by name (qcur of the server). */
    public synchronized int size(ServerModel server) {
        ArrayDeque<Entry> q = byServer.get(server);
        return q == null ? 0 : q.size();
    }

    /** {@code clear counters}: the most sessions waiting at once starts again from those waiting now. */
    public synchronized void clearMax() {
        max = size;
    }

    /** The most sessions ever waiting at once (qmax). */
    public synchronized int max() {
        return max;
    }
}
