/**
 * TLS ClientHello and ServerHello inspection without terminating TLS: the first handshake message is reassembled
 * across TLS records and TCP segments from the session's inspection buffers, decoded once per buffer size and kept
 * with the session, and read by the {@code req.ssl_*} / {@code res.ssl_hello_type} fetches. Everything here runs on
 * the session's event loop, reads buffers without consuming them, and never throws on bad input.
 */
package dev.tether.protocols.tls;
