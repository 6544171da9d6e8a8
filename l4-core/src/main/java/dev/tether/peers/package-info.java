/**
 * Stick-table replication with HAProxy's peers protocol (version 2.1, docs/peers.md): a listener for the local
 * peer, a connection to every other peer, and the exchange of table definitions, updates, acknowledgements and
 * full resynchronisations, so that Tether and HAProxy processes share their tables in any mix.
 */
package dev.tether.peers;
