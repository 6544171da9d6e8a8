/**
 * Sessions: the per-connection state machine ({@link dev.tether.session.Session}, which owns the state, and one
 * helper per phase: request buffer, server assignment, connector, relay), the thin handlers on its two sockets, the
 * copy and splice relays, timeouts and HAProxy termination states. Everything of one session runs on the client
 * channel's event loop, which the server channel shares.
 */
package dev.tether.session;
