/**
 * The PROXY protocol, v1 and v2 (HAProxy's doc/proxy-protocol.txt): a one-shot decoder that reads the header a
 * trusted proxy sends before the client's bytes, and the encoder for the header Tether sends its servers. Runs on
 * the session's event loop; the session bounds the time a header may take.
 */
package dev.tether.proxyproto;
