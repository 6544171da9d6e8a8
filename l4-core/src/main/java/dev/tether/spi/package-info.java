/**
 * The plugin SPI: what protocol modules implement (fetches, converters, balance algorithms, health checks,
 * stream filters) and what they may see of a session.
 *
 * <p>Threading contract. Factories and registrations are created, configured and closed off the event loops,
 * while a configuration is loaded. Every per-session object is created on, and only ever called from, the
 * session's event loop (the client channel's loop, which the server channel shares), so it needs no locks and
 * must never block: no I/O other than through the session's channels, no sleeping, no waiting on futures.
 *
 * <p>Plugins depend on this package only, never on the engine's internals.
 */
package dev.tether.spi;
