/**
 * MQTT 3.1.1 and 5.0 for Tether: the {@code mqtt.*} fetches and HAProxy's {@code mqtt_field_value} and
 * {@code mqtt_is_valid} converters (read the client's CONNECT while the request is inspected), {@code filter mqtt}
 * (packet boundaries both ways, CONNECT validation, MQTT 5 eviction with DISCONNECT 0x9C, the keep-alive dead-peer
 * deadline) and {@code option mqtt-check}. Fetches, converters and the filter run on the session's event loop;
 * the check's response test runs on a health-check thread. Packets are parsed here against the specifications
 * (OASIS MQTT 3.1.1 and 5.0); Netty's codec supplies the protocol's constants and the tests' second opinion.
 */
package dev.tether.protocols.mqtt;
