/**
 * Stick tables: keyed entries holding a server id and counters, for persistence ({@code stick on}), tracking
 * ({@code track-sc}) and rate limits. Tables are shared by every event loop and the runtime API; entries are
 * updated lock-free or under per-entry locks, never blocking.
 */
package dev.tether.stick;
