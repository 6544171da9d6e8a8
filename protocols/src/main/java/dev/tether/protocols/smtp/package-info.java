/** The SMTP health check ({@code option smtpchk}): a mail server's greeting, its answer to HELO or EHLO, and QUIT. */
package dev.tether.protocols.smtp;
