/**
 * FTP control/data affinity and the FTP gateway filter. Arrives with the FTP work.
 */
package dev.tether.ftp;
