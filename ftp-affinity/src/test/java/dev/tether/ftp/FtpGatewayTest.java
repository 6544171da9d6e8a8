package dev.tether.ftp;

import static dev.tether.ftp.RecordingContext.ascii;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.spi.FilterContext;
import dev.tether.spi.Goodbye;
import dev.tether.spi.Peer;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The FTP gateway on byte-exact control traffic (RFC 959, RFC 2428), with the test playing the core's part for
 * data channels. The client is 192.0.2.7 and reaches the proxy at 198.51.100.1; the server is 10.0.0.20 and sees
 * the proxy as 10.0.0.1.
 */
class FtpGatewayTest {

    private final RecordingContext ctx = new RecordingContext();
    private FtpGateway gw;

    @BeforeEach
    void setUp() {
        gw = new FtpGateway(ctx, new GatewaySettings(50000, 50999, 30_000));
        server("220 Welcome\r\n");
        assertThat(ctx.client()).isEqualTo("220 Welcome\r\n");
    }

    @AfterEach
    void tearDown() {
        gw.closed();
    }

    private void client(String s) {
        gw.fromClient(ascii(s));
    }

    private void server(String s) {
        gw.fromServer(ascii(s));
    }

    // ---- passes through ------------------------------------------------------------------------------------

    @Test
    void shouldPassOrdinaryCommandsAndRepliesUnchanged() {
        client("USER anonymous\r\nPASS x@y\r\nTYPE I\r\n");
        assertThat(ctx.server()).isEqualTo("USER anonymous\r\nPASS x@y\r\nTYPE I\r\n");
        server("331 Please specify the password.\r\n230 Login successful.\r\n200 Switching to Binary mode.\r\n");
        assertThat(ctx.client()).isEqualTo("331 Please specify the password.\r\n230 Login successful.\r\n"
                + "200 Switching to Binary mode.\r\n");
        assertThat(ctx.opened).isEmpty();
    }

    @Test
    void shouldPassPathNamesInAnyEncodingByteForByte() {
        String utf8 = new String("RETR caf\u00e9.txt\r\n".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                java.nio.charset.StandardCharsets.ISO_8859_1);
        client(utf8);
        assertThat(ctx.server()).isEqualTo(utf8);
    }

    @Test
    void shouldPassMultiLineRepliesLineByLine() {
        client("FEAT\r\n");
        ctx.server();
        server("211-Features:\r\n EPRT\r\n EPSV\r\n");
        assertThat(ctx.client()).isEqualTo("211-Features:\r\n EPRT\r\n EPSV\r\n");
        server("211 End\r\n");
        assertThat(ctx.client()).isEqualTo("211 End\r\n");
    }

    @Test
    void shouldPassGarbageFromTheServerOnUnchanged() {
        server("\u0000\u00ffnot ftp at all\r\n");
        assertThat(ctx.client()).isEqualTo("\u0000\u00ffnot ftp at all\r\n");
    }

    // ---- passive mode --------------------------------------------------------------------------------------

    @Test
    void shouldRewriteA227ToNameTheProxysPortAndRelayToTheServersAnnouncedPort() {
        client("PASV\r\n");
        assertThat(ctx.server()).isEqualTo("PASV\r\n");
        server("227 Entering Passive Mode (10,0,0,20,195,80).\r\n");
        assertThat(ctx.client()).as("held until the port listens").isEmpty();
        RecordingContext.Opened o = ctx.last();
        assertThat(o.request.side()).isEqualTo(Peer.CLIENT);
        assertThat(o.request.target()).isEqualTo(new InetSocketAddress("10.0.0.20", 50000));
        assertThat(o.request.firstPort()).isEqualTo(50000);
        assertThat(o.request.lastPort()).isEqualTo(50999);
        o.bound("198.51.100.1", 50123);
        assertThat(ctx.client()).isEqualTo("227 Entering Passive Mode (198,51,100,1,195,203).\r\n");
    }

    @Test
    void shouldTakeOnlyThePortOfA227AndConnectToTheServersControlAddress() {
        client("PASV\r\n");
        server("227 Entering Passive Mode (203,0,113,9,4,1)\r\n");
        assertThat(ctx.last().request.target()).isEqualTo(new InetSocketAddress("10.0.0.20", 1025));
    }

    @Test
    void shouldFindTheSixNumbersInTextVariantsOf227() {
        for (String text : List.of("227 Data transfer will passively listen to 127,0,0,1,4,51\r\n",
                "227 Entering passive mode. 127,0,0,1,4,51\r\n", "227 =127,0,0,1,4,51\r\n")) {
            client("PASV\r\n");
            server(text);
            ctx.last().bound("198.51.100.1", 50000);
            String expected = text.replace("127,0,0,1,4,51", "198,51,100,1,195,80");
            assertThat(ctx.client()).isEqualTo(expected);
            assertThat(ctx.last().request.target().getPort()).isEqualTo(4 * 256 + 51);
        }
    }

    @Test
    void shouldRewriteA229KeepingItsTextAndDelimiter() {
        client("EPSV\r\n");
        server("229 Extended Passive mode OK (|||41000|)\r\n");
        assertThat(ctx.last().request.target()).isEqualTo(new InetSocketAddress("10.0.0.20", 41000));
        ctx.last().bound("198.51.100.1", 50001);
        assertThat(ctx.client()).isEqualTo("229 Extended Passive mode OK (|||50001|)\r\n");
        client("EPSV\r\n");
        server("229 Entering Extended Passive Mode (!!!41001!)\r\n");
        ctx.last().bound("198.51.100.1", 50002);
        assertThat(ctx.client()).isEqualTo("229 Entering Extended Passive Mode (!!!50002!)\r\n");
    }

    @Test
    void shouldReadAPassiveReplySplitIntoSingleBytes() {
        client("P");
        client("ASV\r");
        client("\n");
        assertThat(ctx.server()).isEqualTo("PASV\r\n");
        String reply = "227 Entering Passive Mode (10,0,0,20,195,80)\r\n";
        for (char c : reply.toCharArray()) {
            server(String.valueOf(c));
        }
        ctx.last().bound("198.51.100.1", 50000);
        assertThat(ctx.client()).isEqualTo("227 Entering Passive Mode (198,51,100,1,195,80)\r\n");
        assertThat(ctx.opened).hasSize(1);
    }

    @Test
    void shouldHoldAMultiLine227UntilItsLastLine() {
        client("PASV\r\n");
        server("227-Entering Passive Mode\r\n (10,0,0,20,195,80)\r\n");
        assertThat(ctx.opened).isEmpty();
        assertThat(ctx.client()).isEmpty();
        server("227 done\r\n");
        ctx.last().bound("198.51.100.1", 50000);
        assertThat(ctx.client()).isEqualTo("227-Entering Passive Mode\r\n (198,51,100,1,195,80)\r\n227 done\r\n");
    }

    @Test
    void shouldHoldLaterRepliesUntilThePassivePortListens() {
        client("PASV\r\nLIST\r\n");
        server("227 Entering Passive Mode (10,0,0,20,195,80)\r\n150 Here comes the listing.\r\n");
        assertThat(ctx.client()).isEmpty();
        ctx.last().bound("198.51.100.1", 50000);
        assertThat(ctx.client()).isEqualTo("227 Entering Passive Mode (198,51,100,1,195,80)\r\n"
                + "150 Here comes the listing.\r\n");
    }

    @Test
    void shouldAnswer425WhenNoDataPortIsFree() {
        client("PASV\r\n");
        server("227 Entering Passive Mode (10,0,0,20,195,80)\r\n");
        ctx.last().events.failed("no free port in 50000-50999");
        assertThat(ctx.client()).startsWith("425 ");
    }

    @Test
    void shouldAnswer425ForA227WithoutAnAddress() {
        client("PASV\r\n");
        server("227 Entering Passive Mode\r\n");
        assertThat(ctx.client()).startsWith("425 ");
        assertThat(ctx.opened).isEmpty();
    }

    @Test
    void shouldCloseAPassivePortThatANewPasvReplaces() {
        client("PASV\r\n");
        server("227 Entering Passive Mode (10,0,0,20,195,80)\r\n");
        ctx.last().bound("198.51.100.1", 50000);
        RecordingContext.Opened first = ctx.last();
        client("PASV\r\n");
        server("227 Entering Passive Mode (10,0,0,20,195,81)\r\n");
        assertThat(first.closed).isTrue();
    }

    @Test
    void shouldKeepAConnectedPortWhenTheNextTransferIsSetUp() {
        client("PASV\r\n");
        server("227 Entering Passive Mode (10,0,0,20,195,80)\r\n");
        RecordingContext.Opened first = ctx.last();
        first.bound("198.51.100.1", 50000);
        first.events.connected();
        client("PASV\r\n");
        server("227 Entering Passive Mode (10,0,0,20,195,81)\r\n");
        assertThat(first.closed).isFalse();
    }

    @Test
    void shouldPassEpsvAllAndGoOnRewritingEpsv() {
        client("EPSV ALL\r\n");
        assertThat(ctx.server()).isEqualTo("EPSV ALL\r\n");
        server("200 EPSV ALL ok.\r\n");
        assertThat(ctx.client()).isEqualTo("200 EPSV ALL ok.\r\n");
        assertThat(ctx.opened).isEmpty();
        client("EPSV\r\n");
        server("229 Entering Extended Passive Mode (|||41000|)\r\n");
        ctx.last().bound("198.51.100.1", 50001);
        assertThat(ctx.client()).isEqualTo("229 Entering Extended Passive Mode (|||50001|)\r\n");
    }

    // ---- active mode ---------------------------------------------------------------------------------------

    @Test
    void shouldRewritePortToAServerSidePortAndRelayToTheClient() {
        client("PORT 192,0,2,7,156,64\r\n");
        assertThat(ctx.server()).as("held until the port listens").isEmpty();
        RecordingContext.Opened o = ctx.last();
        assertThat(o.request.side()).isEqualTo(Peer.SERVER);
        assertThat(o.request.target()).isEqualTo(new InetSocketAddress("192.0.2.7", 40000));
        o.bound("10.0.0.1", 50500);
        assertThat(ctx.server()).isEqualTo("PORT 10,0,0,1,197,68\r\n");
        server("200 PORT command successful.\r\n");
        assertThat(ctx.client()).isEqualTo("200 PORT command successful.\r\n");
    }

    @Test
    void shouldRewriteEprtInBothAddressFamilies() {
        client("EPRT |1|192.0.2.7|6275|\r\n");
        assertThat(ctx.last().request.target()).isEqualTo(new InetSocketAddress("192.0.2.7", 6275));
        ctx.last().bound("10.0.0.1", 50501);
        assertThat(ctx.server()).isEqualTo("EPRT |1|10.0.0.1|50501|\r\n");
        server("200 EPRT ok\r\n");
        client("PORT 192,0,2,7,24,131\r\n");
        ctx.last().bound("2001:db8::1", 50502);
        assertThat(ctx.server()).as("PORT cannot name an IPv6 address").isEqualTo("EPRT |2|2001:db8:0:0:0:0:0:1|50502|\r\n");
    }

    @Test
    void shouldHoldLaterCommandsUntilTheActivePortListens() {
        client("PORT 192,0,2,7,156,64\r\nRETR a.bin\r\n");
        assertThat(ctx.server()).isEmpty();
        ctx.last().bound("10.0.0.1", 50500);
        assertThat(ctx.server()).isEqualTo("PORT 10,0,0,1,197,68\r\nRETR a.bin\r\n");
    }

    @Test
    void shouldRefuseAPortCommandThatNamesAnotherHost() {
        client("PORT 203,0,113,5,0,25\r\n");
        assertThat(ctx.server()).isEmpty();
        assertThat(ctx.client()).startsWith("500 Illegal PORT command");
        assertThat(ctx.opened).isEmpty();
    }

    @Test
    void shouldAnswerSyntaxErrorsAndUnknownFamiliesItself() {
        client("PORT 1,2,3\r\n");
        assertThat(ctx.client()).startsWith("501 ");
        client("EPRT |3|foo|21|\r\n");
        assertThat(ctx.client()).startsWith("522 ");
        client("EPRT |1|192.0.2.7|99999|\r\n");
        assertThat(ctx.client()).startsWith("501 ");
        assertThat(ctx.server()).isEmpty();
    }

    @Test
    void shouldCloseTheActivePortWhenTheServerRefusesThePortCommand() {
        client("PORT 192,0,2,7,156,64\r\n");
        ctx.last().bound("10.0.0.1", 50500);
        server("500 Illegal PORT command.\r\n");
        assertThat(ctx.last().closed).isTrue();
    }

    @Test
    void shouldAnswer425WhenNoActivePortIsFree() {
        client("PORT 192,0,2,7,156,64\r\nNOOP\r\n");
        ctx.last().events.failed("no free port");
        assertThat(ctx.client()).startsWith("425 ");
        assertThat(ctx.server()).isEqualTo("NOOP\r\n");
    }

    // ---- refused and unread --------------------------------------------------------------------------------

    @Test
    void shouldRefuseLprtAndLpsvInReplyOrder() {
        client("NOOP\r\nLPSV\r\nLPRT 4,4,192,0,2,7,2,156,64\r\n");
        assertThat(ctx.server()).isEqualTo("NOOP\r\n");
        assertThat(ctx.client()).as("the NOOP's reply comes first").isEmpty();
        server("200 NOOP ok.\r\n");
        assertThat(ctx.client()).isEqualTo("200 NOOP ok.\r\n"
                + "502 LPSV is not available through this proxy; use EPRT or EPSV.\r\n"
                + "502 LPRT is not available through this proxy; use EPRT or EPSV.\r\n");
    }

    @Test
    void shouldRelayUnreadOnceAuthTlsIsAccepted() {
        client("AUTH TLS\r\n\u0016\u0003\u0001");
        assertThat(ctx.server()).isEqualTo("AUTH TLS\r\n");
        server("234 Proceed with negotiation.\r\n");
        assertThat(ctx.client()).isEqualTo("234 Proceed with negotiation.\r\n");
        assertThat(ctx.server()).isEqualTo("\u0016\u0003\u0001");
        client("PASV\r\n");
        server("227 Entering Passive Mode (10,0,0,20,195,80)\r\n");
        assertThat(ctx.server()).isEqualTo("PASV\r\n");
        assertThat(ctx.client()).isEqualTo("227 Entering Passive Mode (10,0,0,20,195,80)\r\n");
        assertThat(ctx.opened).isEmpty();
        assertThat(gw.goodbye()).as("nothing can be said on TLS").isNull();
    }

    @Test
    void shouldGoOnReadingWhenAuthIsRefused() {
        client("AUTH TLS\r\nPASV\r\n");
        assertThat(ctx.server()).isEqualTo("AUTH TLS\r\n");
        server("530 Please login with USER and PASS.\r\n");
        assertThat(ctx.server()).isEqualTo("PASV\r\n");
        server("227 Entering Passive Mode (10,0,0,20,195,80)\r\n");
        assertThat(ctx.opened).hasSize(1);
    }

    @Test
    void shouldCloseTheSessionOnAnOverlongCommandLine() {
        client("RETR " + "a".repeat(ControlLines.MAX_LINE));
        assertThat(ctx.ending).isEqualTo(FilterContext.Ending.CLIENT_PROTOCOL_ERROR);
        assertThat(ctx.server()).isEmpty();
    }

    @Test
    void shouldCloseTheSessionOnAnOverlongReplyLine() {
        server("200 " + "a".repeat(ControlLines.MAX_LINE));
        assertThat(ctx.ending).isEqualTo(FilterContext.Ending.SERVER_PROTOCOL_ERROR);
    }

    @Test
    void shouldPassAPartialLineOnWhenItsSenderEnds() {
        client("QUI");
        gw.inputEnded(Peer.CLIENT);
        assertThat(ctx.server()).isEqualTo("QUI");
        server("221 Goo");
        gw.inputEnded(Peer.SERVER);
        assertThat(ctx.client()).isEqualTo("221 Goo");
    }

    // ---- eviction ------------------------------------------------------------------------------------------

    @Test
    void shouldSay421AtOnceWhenIdle() {
        RecordingContext.RecordingEviction e = new RecordingContext.RecordingEviction();
        Goodbye g = gw.goodbye();
        g.begin(e);
        assertThat(e.stopped).isTrue();
        assertThat(e.written.toString()).isEqualTo(FtpGateway.GOODBYE);
        assertThat(e.done).isTrue();
    }

    @Test
    void shouldSay421OnlyOnceTheCurrentTransferEnded() {
        client("PASV\r\n");
        server("227 Entering Passive Mode (10,0,0,20,195,80)\r\n");
        RecordingContext.Opened data = ctx.last();
        data.bound("198.51.100.1", 50000);
        client("RETR big.iso\r\n");
        data.events.connected();
        server("150 Opening BINARY mode data connection.\r\n");
        RecordingContext.RecordingEviction e = new RecordingContext.RecordingEviction();
        gw.goodbye().begin(e);
        assertThat(e.done).isFalse();
        client("NOOP\r\n");
        assertThat(ctx.server()).as("no new command once asked to leave").doesNotContain("NOOP");
        server("226 Transfer complete.\r\n");
        assertThat(ctx.client()).endsWith("226 Transfer complete.\r\n");
        assertThat(e.done).as("the data connection still moves bytes").isFalse();
        data.events.ended(1 << 20, true);
        assertThat(e.written.toString()).isEqualTo(FtpGateway.GOODBYE);
        assertThat(e.done).isTrue();
    }

    @Test
    void shouldSay421AfterTheAwaitedReply() {
        client("SIZE a.bin\r\n");
        RecordingContext.RecordingEviction e = new RecordingContext.RecordingEviction();
        gw.goodbye().begin(e);
        assertThat(e.done).isFalse();
        server("213 1024\r\n");
        assertThat(ctx.client()).isEqualTo("213 1024\r\n");
        assertThat(e.done).isTrue();
    }
}
