/**
 * Remote Desktop through Tether with a real client and real servers: FreeRDP's xfreerdp (under Xvfb) connects
 * through a Tether started in the test JVM to several xrdp instances, child processes on loopback ports; where xrdp
 * cannot follow (a Preconnection PDU), in-process X.224 responders record what FreeRDP sent. The programs come from
 * Debian's packages (.ci/run installs them); without them the tests are skipped, or fail when CI is set.
 */
package dev.tether.it.rdp;
