package dev.tether.session;

/** The two sockets of a session. */
enum Side {
    CLIENT, SERVER;

    Side other() {
        return this == CLIENT ? SERVER : CLIENT;
    }
}
