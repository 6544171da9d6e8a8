/**
 * TLS through Tether without termination: real JDK TLS servers with their own self-signed certificates behind
 * Tether, real JDK TLS clients in front, routing by SNI and sticking TLS 1.2 resumptions to the server that holds
 * the session. Servers run on their own accept and handler threads in the test JVM; clients on the test thread.
 */
package dev.tether.it.tls;
