package dev.tether.listener;

import dev.tether.model.ConnCounter;

/** A concurrent-connection limit over a counter: the process ({@code global maxconn}), a frontend, or a socket. */
record ConnectionLimit(ConnCounter counter, int max) {

    boolean reached() {
        return counter.current() >= max;
    }
}
