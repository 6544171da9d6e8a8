package dev.tether.runtime;

import dev.tether.backend.ServerControl;
import dev.tether.model.ServerModel;

/** The running resolvers sections, as {@code show resolvers} reaches them. */
public interface ResolversView {

    /** No sections: {@code show resolvers} shows nothing, no server has a name to set. */
    ResolversView NONE = new ResolversView() {
        @Override
        public String show(String section) {
            return section.isEmpty() ? "" : null;
        }

        @Override
        public String setFqdn(ServerModel s, String name, ServerControl control) {
            return "set server <b>/<s> fqdn failed because no resolution is configured.\n";
        }
    };

    /**
     * Each name server of one section ({@code section} non-empty) or of all, with its counters. Null when
     * {@code section} names no section.
     */
    String show(String section);

    /** {@code set server <b>/<s> fqdn <name>}: HAProxy's answer. */
    String setFqdn(ServerModel s, String name, ServerControl control);
}
