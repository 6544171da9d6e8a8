/**
 * Stick tables: keyed entries holding a server id and counters, for persistence ({@code stick on}), tracking
 * ({@code track-sc}) and rate limits. {@link dev.tether.stick.StickTables} creates them and hands them over on
 * reload. Tables are shared by every event loop and the runtime API: lookups take no lock, inserts and removals
 * hold one segment's monitor briefly, entry counters are updated under the entry's monitor; nothing blocks, and
 * there is no background thread (expiry is lazy, eviction happens on insert).
 */
package dev.tether.stick;
