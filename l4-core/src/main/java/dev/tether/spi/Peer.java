package dev.tether.spi;

/** One end of a session, as a filter names it. */
public enum Peer {
    CLIENT, SERVER
}
