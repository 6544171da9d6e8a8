/**
 * AMQP 0-9-1 frame tracking, polite eviction and rebalancing of long-lived broker connections. Arrives with the AMQP work.
 */
package dev.tether.amqp;
