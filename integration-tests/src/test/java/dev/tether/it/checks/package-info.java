/**
 * Tether's health checks against the real servers on this machine (Redis, PostgreSQL): plain connect checks and
 * tcp-check rulesets speaking a few bytes of each protocol. Runs on JUnit's test thread; the checks run on their
 * own control thread and event loops.
 */
package dev.tether.it.checks;
