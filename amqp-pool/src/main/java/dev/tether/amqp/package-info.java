/**
 * AMQP 0-9-1 for pools of long-lived broker connections: {@code filter amqp} checks the protocol header, follows
 * frames both ways, learns the handshake's user, virtual host and heartbeat, closes sessions whose peer missed
 * two heartbeats and says goodbye with Connection.Close 320 on eviction; {@code option amqp-check} checks a
 * broker. Filters run on their session's event loop; the check's judge on a health-check thread.
 */
package dev.tether.amqp;
