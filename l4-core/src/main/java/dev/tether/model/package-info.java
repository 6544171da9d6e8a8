/**
 * The runtime model: frontends, backends, servers and rules resolved from configuration records, with host names
 * resolved and defaults applied. Built off the event loops by {@link dev.tether.model.ModelBuilder}; read by every
 * event loop afterwards, immutable except for the atomic counters it holds.
 */
package dev.tether.model;
