/**
 * Active health checks (a plain TCP connect, or a backend's {@code tcp-check} ruleset) and passive observation of
 * real connection outcomes ({@code observe layer4}). Each checked server has one schedule on a single control
 * thread owned by {@link dev.tether.check.HealthChecks}, which keeps the health counter and reports through
 * {@link dev.tether.backend.ServerControl}; the check connections themselves are Netty channels on the engine's
 * event loops, and never block them.
 */
package dev.tether.check;
