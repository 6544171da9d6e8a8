package dev.tether.it.harness;

import java.util.ArrayList;
import java.util.List;

/** What a test started (programs, engines, sockets), closed in the reverse order by {@link #close}. */
public final class Resources implements AutoCloseable {

    private final List<AutoCloseable> open = new ArrayList<>();

    /** Keeps {@code resource} for {@link #close}; returns it. */
    public <T extends AutoCloseable> T add(T resource) {
        open.add(resource);
        return resource;
    }

    /** Closes everything kept, the last started first; the first failure is thrown once all were tried. */
    @Override
    public void close() throws Exception {
        Exception first = null;
        for (int i = open.size() - 1; i >= 0; i--) {
            try {
                open.get(i).close();
            } catch (Exception e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        open.clear();
        if (first != null) {
            throw first;
        }
    }
}
