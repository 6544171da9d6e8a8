/**
 * MQTT through Tether with the protocols module's MQTT plugin: Eclipse Paho clients (3.1.1 and 5) and raw sockets
 * to real Mosquitto brokers, proving client-id stickiness, failover and failback, MQTT 5 eviction with DISCONNECT
 * 0x9C, CONNECT refusals and {@code option mqtt-check}. Runs on JUnit's thread, a small pool of client threads and
 * Paho's own threads.
 */
package dev.tether.it.mqtt;
