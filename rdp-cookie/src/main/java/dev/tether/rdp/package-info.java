/**
 * Remote Desktop routing without terminating RDP: the client's Preconnection PDU and X.224 Connection Request are
 * read from the inspected bytes, validated and kept with the session, for the cookie and routing-token fetches,
 * {@code balance rdp-cookie} and {@code persist rdp-cookie}; {@code option rdp-check} asks servers for a Connection
 * Confirm. Fetches and rules run on the session's event loop and never consume or keep the buffer; the check's
 * answer is judged on a health-check thread.
 */
package dev.tether.rdp;
