/**
 * Tether's reading of HAProxy's configuration language checked against HAProxy 2.6 itself: the same sections run
 * in both, the same clients connect to both, and both must make the same decisions.
 */
package dev.tether.it.config;
