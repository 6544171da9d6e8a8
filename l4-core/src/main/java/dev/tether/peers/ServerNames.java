package dev.tether.peers;

/**
 * Server ids and names of the backend a stick table routes for. Entries store the server's id; the peers protocol
 * also carries its name ({@code server_key}), which HAProxy prefers when both are present, so Tether sends the name
 * of the id it stores and, on receipt, takes the server the name designates when there is one.
 */
public interface ServerNames {

    /** The name of server {@code id}, or null when there is none. */
    String name(int id);

    /** The id of the server named {@code name}, or 0 when there is none. */
    int id(String name);
}
