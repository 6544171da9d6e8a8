package dev.tether.ftp;

import dev.tether.spi.FilterContext;
import dev.tether.spi.Goodbye;
import dev.tether.spi.LogText;
import dev.tether.spi.Peer;
import dev.tether.spi.StreamFilter;
import io.netty.buffer.ByteBuf;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The FTP gateway, {@code filter ftp}: reads the control connection and carries every data connection through the
 * proxy, so the client only ever talks to the proxy and the server only to the proxy's own addresses.
 * <ul>
 * <li>A 227 or 229 reply (passive mode) opens a data port on the client side from the configured range and is
 *     rewritten to name it; the client's connection there is relayed to the port the server announced, on the
 *     server's control address, from the address the control connection leaves from (servers check it).</li>
 * <li>A PORT or EPRT command (active mode) opens a data port on the server side and is rewritten to name it; the
 *     server's connection there is relayed to the client's announced port. The announced address must be the
 *     client's own, as vsftpd's port_promiscuous=NO requires, so no client can aim the proxy elsewhere.</li>
 * <li>LPRT and LPSV are answered 502 here, in reply order; an AUTH answered 234 (or 334) makes the control
 *     connection unreadable, and the gateway relays it unread from then on.</li>
 * <li>On eviction the client receives 421 once no reply is awaited and no data connection moves bytes.</li>
 * </ul>
 * Commands and replies are read line by line across segments; multi-line replies are passed on line by line,
 * except a multi-line 227 or 229, which is held until its last line. While a data port is being opened, the
 * direction whose line asked for it waits, so nothing overtakes the rewritten line. Session event loop only.
 */
final class FtpGateway implements StreamFilter {

    private static final Logger LOG = LoggerFactory.getLogger(FtpGateway.class);

    static final String GOODBYE = "421 Service not available, closing control connection: this server is leaving,"
            + " please reconnect.\r\n";

    private final FilterContext ctx;
    private final ControlLines commands = new ControlLines();
    private final ControlLines replies = new ControlLines();
    private final ReplyOrder order = new ReplyOrder();
    private final Consumer<String> toClient = this::toClient;
    private final DataPorts ports;
    /** After an accepted AUTH: the control connection is encrypted and passes unread. */
    private boolean blind;
    private boolean closed;
    /** Client commands wait: a data port is opening for a PORT or EPRT, or an AUTH awaits its answer. */
    private boolean commandsWait;
    /** Server replies wait: a data port is opening for a 227 or 229. */
    private boolean repliesWait;
    /** The code of the multi-line reply being read, 0 between replies. */
    private int multiCode;
    /** A 227 or 229 reply being read, held until its last line; null otherwise. */
    private StringBuilder dataReply;
    /** The eviction waiting for the current transfer to end; null when none. */
    private Goodbye.Eviction leaving;

    FtpGateway(FilterContext ctx, GatewaySettings settings) {
        this.ctx = ctx;
        this.ports = new DataPorts(ctx, settings, this::goodbyeIfIdle);
    }

    // ---- client to server: commands ------------------------------------------------------------------------

    @Override
    public void fromClient(ByteBuf data) {
        if (closed || leaving != null) {
            // once asked to leave, the session takes no new command: 421 answers them all
            data.release();
            return;
        }
        if (blind) {
            ctx.toServer(data);
            return;
        }
        commands.add(ctx.alloc(), data);
        readCommands();
    }

    private void readCommands() {
        while (!commandsWait && !blind && !closed && leaving == null) {
            String line = commands.next();
            if (line == null) {
                if (commands.overlong()) {
                    ctx.close(FilterContext.Ending.CLIENT_PROTOCOL_ERROR, "FTP gateway: a command line is longer"
                            + " than " + ControlLines.MAX_LINE + " bytes");
                }
                return;
            }
            command(line);
        }
    }

    private void command(String line) {
        String verb = DataAddresses.verb(line);
        switch (verb) {
            case "PORT":
            case "EPRT":
                active(line, verb);
                break;
            case "LPRT":
            case "LPSV":
                // RFC 1639's long forms carry addresses the gateway does not rewrite; clients fall back to EPRT/EPSV
                order.local("502 " + verb + " is not available through this proxy; use EPRT or EPSV.\r\n", toClient);
                break;
            case "AUTH":
                // the answer decides whether the next client bytes are commands or a TLS handshake
                forward(line, verb, null);
                commandsWait = true;
                break;
            default:
                forward(line, verb, null);
        }
    }

    private void forward(String line, String verb, DataPorts.DataPort port) {
        ctx.toServer(bytes(line));
        order.await(new ReplyOrder.Awaited(verb, port));
    }

    /** PORT or EPRT: open a port on the server side for the server to connect to, and name it instead. */
    private void active(String line, String verb) {
        String arg = DataAddresses.argument(line, verb);
        DataAddresses.Announced a = verb.equals("PORT") ? DataAddresses.parsePort(arg)
                : DataAddresses.parseEprt(arg);
        if (a == null) {
            order.local("501 Syntax error in the " + verb + " argument.\r\n", toClient);
            return;
        }
        if (a.address() == null) {
            order.local("522 Network protocol not supported, use (1,2)\r\n", toClient);
            return;
        }
        InetSocketAddress client = ctx.dataChannels().peer(Peer.CLIENT);
        if (client == null || !a.address().equals(client.getAddress())) {
            LOG.info("{} {}: FTP gateway refused {} to {}: the data address must be the client's own",
                    ctx.session().frontendName(), ctx.session().sourceForLog(), verb, a.address().getHostAddress());
            order.local("500 Illegal " + verb + " command: the data address must be the client's own.\r\n",
                    toClient);
            return;
        }
        commandsWait = true;
        ports.open(Peer.SERVER, new InetSocketAddress(a.address(), a.port()), new DataPorts.Use() {
            @Override
            public void bound(DataPorts.DataPort port, InetSocketAddress at) {
                String rewritten = verb.equals("PORT") && at.getAddress() instanceof Inet4Address
                        ? "PORT " + DataAddresses.sixNumbers((Inet4Address) at.getAddress(), at.getPort()) + "\r\n"
                        : "EPRT " + DataAddresses.eprtArgument(at.getAddress(), at.getPort()) + "\r\n";
                forward(rewritten, verb, port);
                resumeCommands();
            }

            @Override
            public void notBound(String reason) {
                order.local("425 Can't open data connection: the proxy has no data port free.\r\n", toClient);
                resumeCommands();
            }
        });
    }

    private void resumeCommands() {
        commandsWait = false;
        readCommands();
    }

    // ---- server to client: replies -------------------------------------------------------------------------

    @Override
    public void fromServer(ByteBuf data) {
        if (closed) {
            data.release();
            return;
        }
        if (blind) {
            ctx.toClient(data);
            return;
        }
        replies.add(ctx.alloc(), data);
        readReplies();
    }

    private void readReplies() {
        while (!repliesWait && !blind && !closed) {
            String line = replies.next();
            if (line == null) {
                if (replies.overlong()) {
                    ctx.close(FilterContext.Ending.SERVER_PROTOCOL_ERROR, "FTP gateway: a reply line is longer"
                            + " than " + ControlLines.MAX_LINE + " bytes");
                }
                return;
            }
            reply(line);
        }
    }

    /** One reply line: RFC 959 §4.2, {@code xyz text} or a multi-line reply from {@code xyz-} to {@code xyz }. */
    private void reply(String line) {
        if (multiCode == 0) {
            int code = code(line);
            if (code < 0) {
                toClient(line); // not a reply line: passed on, the client judges it
                return;
            }
            boolean more = line.charAt(3) == '-';
            if (code == 227 || code == 229) {
                dataReply = new StringBuilder(line);
                if (more) {
                    multiCode = code;
                } else {
                    passiveReply(code);
                }
                return;
            }
            toClient(line);
            if (more) {
                multiCode = code;
            } else {
                finalReply(code);
            }
            return;
        }
        boolean last = code(line) == multiCode && line.charAt(3) != '-';
        int code = multiCode;
        if (last) {
            multiCode = 0;
        }
        if (dataReply != null) {
            dataReply.append(line);
            if (dataReply.length() > ControlLines.MAX_LINE) {
                ctx.close(FilterContext.Ending.SERVER_PROTOCOL_ERROR, "FTP gateway: a " + code + " reply is longer"
                        + " than " + ControlLines.MAX_LINE + " bytes");
            } else if (last) {
                passiveReply(code);
            }
            return;
        }
        toClient(line);
        if (last) {
            finalReply(code);
        }
    }

    /** The reply code of a line starting {@code xyz } or {@code xyz-} (or a bare {@code xyz}), else -1. */
    static int code(String line) {
        if (line.length() < 4) {
            return -1;
        }
        for (int i = 0; i < 3; i++) {
            char c = line.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
        }
        char sep = line.charAt(3);
        if (sep != ' ' && sep != '-' && sep != '\r' && sep != '\n') {
            return -1;
        }
        int code = Integer.parseInt(line.substring(0, 3));
        return code >= 100 && code < 600 ? code : -1;
    }

    /** A 227 or 229 reply, complete in {@link #dataReply}: open a client-side port and name it instead. */
    private void passiveReply(int code) {
        String text = dataReply.toString();
        dataReply = null;
        DataAddresses.Found found = code == 227 ? DataAddresses.find227(text) : DataAddresses.find229(text);
        InetSocketAddress server = ctx.dataChannels().peer(Peer.SERVER);
        if (found == null || server == null) {
            LOG.info("{} {}: FTP gateway could not read the server's passive reply: {}",
                    ctx.session().frontendName(), ctx.session().sourceForLog(),
                    LogText.clean(DataAddresses.stripEnd(text)));
            toClient("425 Can't open passive connection: the server's reply could not be read.\r\n");
            finalReply(425);
            return;
        }
        if (code == 227 && !(ctx.session().socketDestination().getAddress() instanceof Inet4Address)) {
            toClient("425 Can't open passive connection: PASV cannot name the proxy's IPv6 address, use EPSV.\r\n");
            finalReply(425);
            return;
        }
        repliesWait = true;
        // Like curl and commons-net, only the announced port is taken: the data connection goes to the server's
        // control address, so a 227 cannot aim the proxy at a third host.
        DataPorts.Use use = new DataPorts.Use() {
            @Override
            public void bound(DataPorts.DataPort port, InetSocketAddress at) {
                String named = code == 227
                        ? DataAddresses.sixNumbers((Inet4Address) at.getAddress(), at.getPort())
                        : rewrite229(text.substring(found.start(), found.end()), at.getPort());
                toClient(text.substring(0, found.start()) + named + text.substring(found.end()));
                resumeReplies(code);
            }

            @Override
            public void notBound(String reason) {
                toClient("425 Can't open passive connection: the proxy has no data port free.\r\n");
                resumeReplies(425);
            }
        };
        ports.open(Peer.CLIENT, new InetSocketAddress(server.getAddress(), found.announced().port()), use);
    }

    /** {@code (|||port|)} with the reply's own delimiter and the proxy's port (RFC 2428 §3). */
    private static String rewrite229(String found, int port) {
        char d = found.charAt(1);
        return "(" + d + d + d + port + d + ")";
    }

    private void resumeReplies(int code) {
        repliesWait = false;
        finalReply(code);
        readReplies();
    }

    /** A reply reached the client: a final one answers the oldest awaited command. */
    private void finalReply(int code) {
        if (code < 200) {
            return; // preliminary (1yz): the final reply follows
        }
        ReplyOrder.Awaited answered = order.answered();
        if (answered != null) {
            answeredBy(answered, code);
        }
        order.flushLocal(toClient);
        goodbyeIfIdle();
    }

    private void answeredBy(ReplyOrder.Awaited answered, int code) {
        switch (answered.verb()) {
            case "AUTH":
                if (code == 234 || code == 334) {
                    goBlind();
                } else {
                    resumeCommands();
                }
                break;
            case "PORT":
            case "EPRT":
                if (code >= 300 && answered.port() != null) {
                    answered.port().close(); // refused (after EPSV ALL, say): nobody will connect
                }
                break;
            default:
                break;
        }
    }

    /** AUTH accepted: TLS (or another security mechanism) follows on the control connection. */
    private void goBlind() {
        blind = true;
        commandsWait = false;
        LOG.info("{} {}: FTP gateway: AUTH accepted, the control connection is encrypted from here and relayed"
                + " unread; its data connections need source pairing", ctx.session().frontendName(),
                ctx.session().sourceForLog());
        ByteBuf c = commands.takeRest();
        if (c != null) {
            ctx.toServer(c);
        }
        ByteBuf r = replies.takeRest();
        if (r != null) {
            ctx.toClient(r);
        }
    }

    // ---- ends, eviction ------------------------------------------------------------------------------------

    @Override
    public void inputEnded(Peer peer) {
        if (blind || closed) {
            return;
        }
        // a partial line before the end passes on as it is
        if (peer == Peer.CLIENT && !commandsWait) {
            ByteBuf rest = commands.takeRest();
            if (rest != null) {
                ctx.toServer(rest);
            }
        } else if (peer == Peer.SERVER && !repliesWait) {
            if (dataReply != null) {
                toClient(dataReply.toString());
                dataReply = null;
            }
            ByteBuf rest = replies.takeRest();
            if (rest != null) {
                ctx.toClient(rest);
            }
        }
    }

    @Override
    public Goodbye goodbye() {
        if (blind) {
            return null; // nothing can be said on an encrypted control connection
        }
        return eviction -> {
            leaving = eviction;
            commands.clear();
            goodbyeIfIdle();
        };
    }

    /** Whether a transfer is under way: a reply is awaited, a line waits for its port, or data moves. */
    private boolean busy() {
        if (!order.idle() || commandsWait || repliesWait || multiCode != 0) {
            return true;
        }
        return ports.moving();
    }

    private void goodbyeIfIdle() {
        if (leaving == null || closed || busy()) {
            return;
        }
        Goodbye.Eviction e = leaving;
        closed = true; // nothing more passes either way
        ports.closeAll();
        e.stopServerToClient();
        e.writeToClient(bytes(GOODBYE));
        e.done();
    }

    @Override
    public void closed() {
        closed = true;
        commands.release();
        replies.release();
        ports.closeAll();
    }

    // ---- bytes ---------------------------------------------------------------------------------------------

    private void toClient(String text) {
        ctx.toClient(bytes(text));
    }

    private ByteBuf bytes(String text) {
        ByteBuf b = ctx.alloc().buffer(text.length());
        b.writeCharSequence(text, StandardCharsets.ISO_8859_1);
        return b;
    }
}
