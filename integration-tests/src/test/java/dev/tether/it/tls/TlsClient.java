package dev.tether.it.tls;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;

/**
 * One TLS connection of a real JDK client through Tether: a full handshake (or a resumption when its context still
 * holds a session for the address), the server's greeting line, then a close.
 */
final class TlsClient {

    private static final int IO_TIMEOUT_MILLIS = 10_000;

    /** What a connection learned: the certificate's subject CN, the server's greeting, the session. */
    record Landing(String certificateHost, String greeting, String sessionId, String protocol) {
    }

    private TlsClient() {
    }

    /**
     * Connects to {@code proxy} with {@code context}, naming {@code sni} (none when null) and offering only
     * {@code protocols} (the JDK's defaults when empty).
     */
    static Landing connect(SSLContext context, InetSocketAddress proxy, String sni, List<String> protocols)
            throws IOException {
        Socket plain = new Socket();
        return connect(context, plain, proxy, sni, protocols);
    }

    /** As above over {@code plain}, a socket not yet connected (a test may shape how its bytes are written). */
    static Landing connect(SSLContext context, Socket plain, InetSocketAddress proxy, String sni,
            List<String> protocols) throws IOException {
        plain.setTcpNoDelay(true);
        plain.connect(proxy, IO_TIMEOUT_MILLIS);
        plain.setSoTimeout(IO_TIMEOUT_MILLIS);
        // the host and port name the client's session cache entry: the same for every connection through Tether
        try (SSLSocket s = (SSLSocket) context.getSocketFactory().createSocket(plain,
                proxy.getAddress().getHostAddress(), proxy.getPort(), true)) {
            SSLParameters p = s.getSSLParameters();
            p.setServerNames(sni == null ? List.of() : List.<SNIServerName>of(new SNIHostName(sni)));
            if (!protocols.isEmpty()) {
                p.setProtocols(protocols.toArray(new String[0]));
            }
            s.setSSLParameters(p);
            s.startHandshake();
            SSLSession session = s.getSession();
            String greeting = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII))
                    .readLine();
            OutputStream out = s.getOutputStream();
            out.flush();
            return new Landing(commonName(session), greeting, HexFormat.of().formatHex(session.getId()),
                    session.getProtocol());
        }
    }

    private static String commonName(SSLSession session) throws IOException {
        try {
            for (Rdn rdn : new LdapName(session.getPeerPrincipal().getName()).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) {
                    return rdn.getValue().toString();
                }
            }
            return null;
        } catch (InvalidNameException e) {
            throw new IOException("unreadable certificate subject", e);
        }
    }
}
