/**
 * Bad input through a running Tether: truncated, oversized, garbage and slow bytes to every protocol path (PROXY
 * header, MQTT, RDP, TLS, AMQP, FTP gateway) with echo servers and real Mosquitto and RabbitMQ behind. Runs on
 * JUnit's thread, a small pool of client threads and the echo servers' threads.
 */
package dev.tether.it.robustness;
