/**
 * FTP through Tether with real servers (vsftpd started by the tests, Apache FtpServer in process) and real clients
 * (curl, lftp, commons-net): the FTP gateway ({@code filter ftp}) and HAProxy's source pairing of control and data
 * connections. Runs on JUnit's test thread and a few client threads; servers are child processes or MINA threads.
 */
package dev.tether.it.ftp;
