/**
 * Loads the protocol plugins found with {@link java.util.ServiceLoader} and merges what they register with the
 * core's own keywords, fetches and algorithms into one immutable {@link dev.tether.plugin.Plugins}, which the
 * configuration loader and the model builder read. Runs on the thread loading a configuration, off the event loops.
 */
package dev.tether.plugin;
