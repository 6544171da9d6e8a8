package dev.tether.protocols.tls;

import static dev.tether.protocols.tls.Hellos.ascii;
import static dev.tether.protocols.tls.Hellos.client;
import static dev.tether.protocols.tls.Hellos.concat;
import static dev.tether.protocols.tls.Hellos.hex;
import static dev.tether.protocols.tls.Hellos.record;
import static dev.tether.protocols.tls.Hellos.records;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.spi.Fetch;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The reader on byte-exact hellos: reassembly over records and segments, the cap, and every kind of bad input. */
class HelloReaderTest {

    /** Decodes {@code bytes} as a buffer whose reader index is not 0, released afterwards. */
    private static Object decode(byte[] bytes, boolean complete) {
        ByteBuf b = Unpooled.buffer(bytes.length + 3);
        b.writeBytes(new byte[] {1, 2, 3}).writeBytes(bytes).skipBytes(3);
        try {
            ByteBuf view = b.asReadOnly();
            Object r = HelloFetches.decode(view, complete);
            assertThat(view.readerIndex()).as("the reader must not consume the buffer").isEqualTo(3);
            return r;
        } finally {
            b.release();
        }
    }

    private static Hello hello(byte[] bytes) {
        Object r = decode(bytes, true);
        assertThat(r).isInstanceOf(Hello.class);
        return (Hello) r;
    }

    @Test
    void shouldReadTheReferenceClientHello() {
        Hello h = hello(Hellos.REFERENCE);
        assertThat(h.type()).isEqualTo(1);
        assertThat(h.legacyVersion()).isEqualTo(0x0303);
        assertThat(h.serverName()).isEqualTo("example.com");
        assertThat(h.alpn()).isEqualTo("h2");
        assertThat(h.sessionId()).isEqualTo(Arrays.copyOfRange(Hellos.REFERENCE, 44, 76));
        assertThat(h.sessionTicket()).isZero();
        assertThat(h.supportedGroups()).isFalse();
    }

    @Test
    void shouldReadATls12ClientHelloWithSessionIdSniAlpnAndTicket() {
        byte[] id = new byte[32];
        Arrays.fill(id, (byte) 0x5A);
        Hello h = hello(client().sessionId(id).sni("Shop.Example.COM").alpn("http/1.1").groups()
                .ticket(new byte[] {9, 9, 9}).bytes());
        assertThat(h.legacyVersion()).isEqualTo(0x0303);
        assertThat(h.sessionId()).isEqualTo(id);
        assertThat(h.serverName()).as("as sent, case kept").isEqualTo("Shop.Example.COM");
        assertThat(h.alpn()).isEqualTo("http/1.1");
        assertThat(h.sessionTicket()).isEqualTo(2);
        assertThat(h.supportedGroups()).isTrue();
        assertThat(h.haproxyVersion()).isEqualTo(3L * 65536 + 3);
    }

    @Test
    void shouldReadATls13ClientHelloWhoseLegacyVersionStaysTls12() {
        Hello h = hello(client().sessionId(new byte[32]).sni("a.example.com").groups().keyShare()
                .supportedVersions(0x0304, 0x0303).ticket(new byte[0]).bytes());
        assertThat(h.legacyVersion()).isEqualTo(0x0303);
        assertThat(h.serverName()).isEqualTo("a.example.com");
        assertThat(h.alpn()).isNull();
        assertThat(h.sessionTicket()).isEqualTo(1);
    }

    @Test
    void shouldReadClientHellosWithoutSniOrAlpnOrAnyExtension() {
        Hello noSni = hello(client().alpn("h2").bytes());
        assertThat(noSni.serverName()).isNull();
        assertThat(noSni.alpn()).isEqualTo("h2");
        Hello empty = hello(client().bytes());
        assertThat(empty.serverName()).isNull();
        Hello none = hello(client().version(0x0301).withoutExtensionBlock().bytes());
        assertThat(none.type()).isEqualTo(1);
        assertThat(none.legacyVersion()).isEqualTo(0x0301);
        assertThat(none.haproxyVersion()).isEqualTo(3L * 65536 + 1);
    }

    @Test
    void shouldTakeTheHostNameWhenAnotherNameTypeComesFirst() {
        // a name_type other than host_name(0) is skipped by its length (RFC 6066 §3)
        byte[] list = hex("0016 07 0003 787878 00 000D 612E6578616D706C652E636F6D");
        Hello h = hello(client().extension(0x0000, list).bytes());
        assertThat(h.serverName()).isEqualTo("a.example.com");
    }

    @Test
    void shouldReadAServerHelloAndItsSessionId() {
        byte[] id = new byte[32];
        Arrays.fill(id, (byte) 7);
        // a ServerHello is usually followed by more messages in the same record
        byte[] flight = record(concat(Hellos.serverHello(id), Hellos.message(11, new byte[40])));
        Hello h = hello(flight);
        assertThat(h.type()).isEqualTo(2);
        assertThat(h.sessionId()).isEqualTo(id);
        assertThat(h.serverName()).isNull();
    }

    @Test
    void shouldGiveTheTypeOfOtherHandshakeMessages() {
        assertThat(hello(record(Hellos.message(11, new byte[10]))).type()).isEqualTo(11);
    }

    @Test
    void shouldNeedMoreDataAtEveryShorterPrefixThenReadTheWholeHello() {
        byte[] whole = client().sessionId(new byte[32]).sni("a.example.com").alpn("h2").bytes();
        for (int n = 0; n < whole.length; n++) {
            byte[] prefix = Arrays.copyOf(whole, n);
            assertThat(decode(prefix, false)).as("%d of %d bytes", n, whole.length).isSameAs(Fetch.NEED_MORE_DATA);
            assertThat(decode(prefix, true)).as("%d of %d bytes, request complete", n, whole.length).isNull();
        }
        assertThat(((Hello) decode(whole, false)).serverName()).isEqualTo("a.example.com");
    }

    @Test
    void shouldReassembleAHelloSplitOverTwoRecordsAtEveryOffsetOfItsFirst64Bytes() {
        byte[] message = client().sessionId(new byte[32]).sni("b.example.com").alpn("h2", "http/1.1").message();
        for (int split = 1; split <= 64; split++) {
            byte[] bytes = records(message, split, message.length);
            for (int n = 0; n < bytes.length; n++) {
                assertThat(decode(Arrays.copyOf(bytes, n), false)).as("split %d, %d bytes", split, n)
                        .isSameAs(Fetch.NEED_MORE_DATA);
            }
            Hello h = (Hello) decode(bytes, false);
            assertThat(h.serverName()).as("split %d", split).isEqualTo("b.example.com");
            assertThat(h.alpn()).isEqualTo("h2");
        }
    }

    @Test
    void shouldReassembleAHelloSpreadOverManySmallRecords() {
        byte[] message = Arrays.copyOfRange(Hellos.REFERENCE, 5, Hellos.REFERENCE.length);
        int[] ones = new int[message.length];
        Arrays.fill(ones, 1);
        Hello h = hello(records(message, ones));
        assertThat(h.serverName()).isEqualTo("example.com");
    }

    @Test
    void shouldIgnoreWhatFollowsTheHello() {
        byte[] whole = concat(Hellos.REFERENCE, hex("17 0303 0005 0102030405"), new byte[20_000]);
        assertThat(hello(whole).serverName()).isEqualTo("example.com");
    }

    @Test
    void shouldNotFindAHelloThatEndsPastTheInspectionCap() {
        // a 16 400-byte padding extension (RFC 7685) in a hello fragmented over two records: it ends past 16 KiB
        byte[] big = client().sni("a.example.com").extension(0x0015, new byte[16_400]).message();
        byte[] bytes = records(big, 16_000, 16_000);
        assertThat(decode(Arrays.copyOf(bytes, 100), false)).as("its length alone says it cannot fit").isNull();
        assertThat(decode(bytes, false)).isNull();
        // a hello that just fits is read: message header and body within CAP minus one record header
        int room = HandshakeRecords.CAP - 5 - 4;
        byte[] fits = client().sni("a.example.com").message();
        int pad = room - fits.length + 4 - 4; // the padding extension's own 4-byte header
        byte[] exact = client().sni("a.example.com").extension(0x0015, new byte[pad]).message();
        assertThat(exact.length).isEqualTo(HandshakeRecords.CAP - 5);
        assertThat(hello(record(exact)).serverName()).isEqualTo("a.example.com");
        byte[] over = client().sni("a.example.com").extension(0x0015, new byte[pad + 1]).message();
        assertThat(decode(records(over, 10_000, 10_000), false)).isNull();
    }

    @Test
    void shouldNotFindTlsInOtherProtocolsEvenBeforeTheRequestIsComplete() {
        assertThat(decode(ascii("GET / HTTP/1.1\r\nHost: a.example.com\r\n\r\n"), false)).isNull();
        assertThat(decode(ascii("G"), false)).isNull();
        assertThat(decode(ascii("SSH-2.0-OpenSSH_9.2\r\n"), false)).isNull();
        // SSLv2-compatible ClientHello (RFC 5246 Appendix E.2): 2-byte header with the high bit set
        assertThat(decode(hex("802E 01 0301 0015 0000 0010 010080 030080 070040 0000FF 00112233445566778899AABBCCDDEEFF"),
                false)).isNull();
        // a handshake record with an SSLv2 or unknown major version
        assertThat(decode(hex("16 02"), false)).isNull();
        assertThat(decode(hex("16 7F 01 0010"), false)).isNull();
        // alert and application data records instead of a handshake
        assertThat(decode(hex("15 0303 0002 0228"), false)).isNull();
        assertThat(decode(hex("17 0303 0002 0101"), false)).isNull();
    }

    @Test
    void shouldRejectRecordLengthsOutOfBounds() {
        assertThat(decode(hex("16 0301 0000"), false)).as("empty handshake fragment").isNull();
        assertThat(decode(hex("16 0301 4001 01"), false)).as("fragment over 2^14").isNull();
        byte[] message = client().sni("a.example.com").message();
        byte[] interleaved = concat(record(Arrays.copyOf(message, 10)), hex("14 0303 0001 01"),
                records(Arrays.copyOfRange(message, 10, message.length), message.length));
        assertThat(decode(interleaved, false)).as("a change_cipher_spec inside the hello").isNull();
    }

    @Test
    void shouldRejectHelloFieldsOutOfBounds() {
        byte[] good = client().sessionId(new byte[4]).sni("a.example.com").alpn("h2").message();
        assertThat(hello(record(good)).serverName()).isEqualTo("a.example.com");
        // offsets in the message: 0 type, 1..3 length, 4..5 version, 6..37 random, 38 session id length
        assertThat(decode(record(patched(good, 38, 33)), true)).as("session id over 32 bytes").isNull();
        assertThat(decode(record(patched(good, 38, 200)), true)).as("session id past the message").isNull();
        int suites = 38 + 1 + 4;
        assertThat(decode(record(patched(good, suites + 1, 3)), true)).as("odd cipher suites length").isNull();
        assertThat(decode(record(patched(good, suites + 1, 0)), true)).as("no cipher suite").isNull();
        assertThat(decode(record(patched(good, suites, 0x7F)), true)).as("suites past the message").isNull();
        int methods = suites + 2 + 4;
        assertThat(decode(record(patched(good, methods, 0)), true)).as("no compression method").isNull();
        int extensions = methods + 2;
        assertThat(decode(record(patched(good, extensions + 1, good[extensions + 1] + 1)), true))
                .as("extensions block longer than the message").isNull();
        assertThat(decode(record(patched(good, extensions + 1, good[extensions + 1] - 1)), true))
                .as("extensions block shorter than the message").isNull();
        int sniLength = extensions + 2 + 2;
        assertThat(decode(record(patched(good, sniLength + 1, 0x40)), true)).as("extension past the block").isNull();
        int sniList = sniLength + 2;
        assertThat(decode(record(patched(good, sniList + 1, 0x20)), true)).as("server name list too long").isNull();
        int nameLength = sniList + 2 + 1;
        assertThat(decode(record(patched(good, nameLength + 1, 0x30)), true)).as("host name past the list").isNull();
        assertThat(decode(record(patched(good, 4, 2)), true)).as("SSLv2 legacy_version").isNull();
        assertThat(decode(record(client().extension(0x0010, hex("0003 00 6832")).message()), true))
                .as("empty ALPN name").isNull();
        assertThat(decode(record(client().extension(0x0010, hex("0000")).message()), true))
                .as("empty ALPN list").isNull();
        assertThat(decode(record(client().extension(0x0000, hex("0003 00 0000")).message()), true))
                .as("empty host name").isNull();
        byte[] shortHello = Hellos.message(1, hex("0303 00112233"));
        assertThat(decode(record(shortHello), true)).as("a hello cut before its random ends").isNull();
    }

    @Test
    void shouldNeverThrowOnMutatedOrRandomInput() {
        byte[] good = client().sessionId(new byte[8]).sni("a.example.com").alpn("h2", "http/1.1").groups()
                .ticket(new byte[0]).bytes();
        int[] values = {0x00, 0x01, 0x03, 0x16, 0x7F, 0x80, 0xFF};
        for (int i = 0; i < good.length; i++) {
            for (int v : values) {
                byte[] m = good.clone();
                m[i] = (byte) v;
                decode(m, true);
                decode(m, false);
                decode(Arrays.copyOf(m, i + 1), false);
            }
        }
        Random random = new Random(7);
        for (int i = 0; i < 2_000; i++) {
            byte[] r = new byte[random.nextInt(600)];
            random.nextBytes(r);
            if (r.length > 2 && random.nextBoolean()) {
                r[0] = 0x16;
                r[1] = 0x03;
            }
            decode(r, random.nextBoolean());
        }
    }

    private static byte[] patched(byte[] message, int offset, int value) {
        byte[] copy = message.clone();
        copy[offset] = (byte) value;
        return copy;
    }
}
