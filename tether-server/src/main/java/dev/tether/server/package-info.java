/**
 * The runnable program: command line, logging set-up, the demo and graceful stop on signals. Runs on the main
 * thread and the JVM's shutdown-hook thread; everything on the event loops belongs to l4-core.
 */
package dev.tether.server;
