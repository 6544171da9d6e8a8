/**
 * FTP support: the FTP gateway filter ({@code filter ftp}), which reads the control connection and carries each data
 * connection through the proxy on a port it opens for that client only, and the FTP health check
 * ({@code option ftp-check}). Pairing control and data connections by source address needs no code here: it is
 * a stick table and port-less servers (docs/protocols/ftp.md). Everything per session runs on the session's event
 * loop; the check's response judge runs on a health-check thread.
 */
package dev.tether.ftp;
