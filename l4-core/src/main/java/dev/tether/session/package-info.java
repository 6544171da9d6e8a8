/**
 * Sessions: the per-connection state machine, the thin handlers on its two sockets, the copy and splice relays,
 * timeouts and HAProxy termination states. Everything of one session runs on the client channel's event loop,
 * which the server channel shares.
 */
package dev.tether.session;
