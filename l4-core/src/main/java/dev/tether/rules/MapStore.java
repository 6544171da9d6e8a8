package dev.tether.rules;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The entries of one map or pattern file, shared by every map converter and every ACL that names the file, as
 * HAProxy shares a pattern reference: read when a configuration that uses it loads, changed at run time by the
 * runtime API's map and ACL commands ({@code add map}, {@code add acl}, {@code del acl}, ...), which a reload
 * undoes. Changes copy the list, so readers on the event loops never lock; each converter rebuilds its index when
 * the version moves, and each ACL is compiled again by the thread making the change.
 */
public final class MapStore {

    /** One entry; {@code ref} is its number for {@code show map}, unique in the process. */
    public record Entry(long ref, String key, String value) {
    }

    /** The entries at one version, read together. */
    public record Snapshot(long version, List<Entry> entries) {
    }

    private static final AtomicLong REFS = new AtomicLong(0x1000);

    /**
     * An ACL reading the file's entries as its patterns: compiled again by the thread that changes the entries,
     * asked to check a pattern before {@code add acl} adds it and to explain a match for {@code get acl}.
     */
    interface AclUse {
        /** The entries of {@code file} changed: the ACL is to match with them from now on. */
        void refresh(MapStore file);

        /** Why the ACL could not read {@code pattern}; null when it can. */
        String check(String pattern);

        /** HAProxy's {@code get acl} line for {@code value}: {@code type=ip, case=sensitive, match=yes, ...}. */
        String describe(String value, List<Entry> entries);

        /** Where the ACL is declared, for {@code show acl}: {@code haproxy.cfg' line 12}. */
        String declaredAt();
    }

    private final String file;
    private final int id;
    private final Set<String> uses = Collections.synchronizedSet(new LinkedHashSet<>());
    /** Weakly: a reload's new ACLs replace the old ones, which then go with their configuration. */
    private final List<WeakReference<AclUse>> aclUses = new ArrayList<>(); // guarded by this
    private volatile Snapshot state = new Snapshot(0, List.of());

    MapStore(String file, int id) {
        this.file = file;
        this.id = id;
    }

    public String file() {
        return file;
    }

    /** Its number for {@code show map}, {@code #<id>}. */
    public int id() {
        return id;
    }

    public List<Entry> entries() {
        return state.entries();
    }

    /** The entries and their version, which moves on every change: an index built at another one is stale. */
    public Snapshot snapshot() {
        return state;
    }

    /** The converters that use the map, as {@code <method>:<output type>} ({@code dom:str}), in first-use order. */
    public List<String> uses() {
        synchronized (uses) {
            return List.copyOf(uses);
        }
    }

    void used(String method, String output) {
        uses.add(method + ":" + output);
    }

    /** Whether a map converter reads the file ({@code show map} lists it). */
    public boolean usedByMap() {
        return !uses.isEmpty();
    }

    synchronized void usedBy(AclUse acl) {
        aclUses.add(new WeakReference<>(acl));
    }

    /** The ACLs reading the file now ({@code show acl} lists it when there is one). */
    synchronized List<AclUse> aclUses() {
        List<AclUse> live = new ArrayList<>();
        aclUses.removeIf(r -> r.get() == null);
        for (WeakReference<AclUse> r : aclUses) {
            AclUse a = r.get();
            if (a != null) {
                live.add(a);
            }
        }
        return live;
    }

    /** Replaces every entry with the file's (a configuration load). */
    synchronized void replace(List<MapConverters.Entry> read) {
        List<Entry> fresh = new ArrayList<>(read.size());
        for (MapConverters.Entry e : read) {
            fresh.add(new Entry(REFS.incrementAndGet(), e.key(), e.value()));
        }
        publish(fresh);
    }

    public synchronized void add(String key, String value) {
        List<Entry> next = new ArrayList<>(state.entries());
        next.add(new Entry(REFS.incrementAndGet(), key, value));
        publish(next);
    }

    /** Sets the value of every entry with this key; false when there is none. */
    public synchronized boolean set(String key, String value) {
        List<Entry> next = new ArrayList<>(state.entries());
        boolean found = false;
        for (int i = 0; i < next.size(); i++) {
            if (next.get(i).key().equals(key)) {
                next.set(i, new Entry(next.get(i).ref(), key, value));
                found = true;
            }
        }
        if (found) {
            publish(next);
        }
        return found;
    }

    /** Removes every entry with this key; false when there is none. */
    public synchronized boolean delete(String key) {
        List<Entry> next = new ArrayList<>(state.entries());
        boolean found = next.removeIf(e -> e.key().equals(key));
        if (found) {
            publish(next);
        }
        return found;
    }

    public synchronized void clear() {
        publish(List.of());
    }

    private void publish(List<Entry> next) {
        state = new Snapshot(state.version() + 1, List.copyOf(next));
        for (AclUse a : aclUses()) {
            a.refresh(this);
        }
    }
}
