/**
 * The integration-test harness: a JUnit 5 extension that gives tests real backend servers (Testcontainers when a
 * Docker engine answers, else servers installed on the machine started as child processes, else in-process Java
 * servers) with fault helpers, and a helper that runs Tether in-process and collects its session records. Runs on
 * JUnit's test threads; the child processes' output is pumped to log files by the JDK's own redirect.
 */
package dev.tether.it.harness;
