package dev.tether.config;

/** The section a proxy came from; a {@code listen} section is a frontend and a backend at once. */
public enum ProxyKind {
    FRONTEND, BACKEND, LISTEN;

    public boolean hasFrontend() {
        return this != BACKEND;
    }

    public boolean hasBackend() {
        return this != FRONTEND;
    }

    /** The section keyword, as written in the file. */
    public String keyword() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
