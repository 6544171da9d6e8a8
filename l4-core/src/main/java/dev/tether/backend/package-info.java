/**
 * Live control of backends and servers: the one place where server state changes (health checks, the runtime
 * API), where the changes are logged with HAProxy's wording, and where the backend's failover and failback
 * policies act on sessions (shutdown, polite eviction at a rate) and on the queue (redispatch). Runs on control
 * threads, never on an event loop; sessions are reached through {@link dev.tether.model.LiveSession}, which hops to
 * each session's own loop.
 */
package dev.tether.backend;
