package dev.tether.runtime;

/** The running resolvers sections, as {@code show resolvers} reaches them. */
public interface ResolversView {

    /** No sections: {@code show resolvers} shows nothing. */
    ResolversView NONE = section -> section.isEmpty() ? "" : null;

    /**
     * Each name server of one section ({@code section} non-empty) or of all, with its counters. Null when
     * {@code section} names no section.
     */
    String show(String section);
}
