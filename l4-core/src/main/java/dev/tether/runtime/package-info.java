/**
 * The runtime API: HAProxy's command-line interface on the Unix sockets of {@code stats socket} lines, for operators
 * and their scripts ({@code show stat}, {@code show servers state}, {@code set server ... state}, ...). Served by a
 * small pool of daemon threads with blocking I/O, never by an event loop; state changes go through
 * {@link dev.tether.backend.ServerControl}, reads go straight to the model's atomic counters.
 */
package dev.tether.runtime;
