/** The runtime API acting on a running Tether in front of real servers. */
package dev.tether.it.runtime;
