/**
 * Built-in protocol plugins (TLS ClientHello inspection, MQTT, database health checks). Arrives with the protocol plugin work; the module is listed now so the build has its final shape.
 */
package dev.tether.protocols;
