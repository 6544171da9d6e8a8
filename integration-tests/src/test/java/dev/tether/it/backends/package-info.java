/**
 * Real clients through an in-process Tether to real servers (PostgreSQL, Redis, RabbitMQ, Mosquitto, FTP), with the
 * foundation's features: one {@code listen} section with one server. Each test also checks Tether's session records.
 * Runs on JUnit's test thread plus the client libraries' own threads.
 */
package dev.tether.it.backends;
