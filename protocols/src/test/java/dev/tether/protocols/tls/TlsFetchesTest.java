package dev.tether.protocols.tls;

import dev.tether.testing.TestSession;
import static dev.tether.protocols.tls.Hellos.ascii;
import static dev.tether.protocols.tls.Hellos.client;
import static dev.tether.protocols.tls.Hellos.record;
import static dev.tether.protocols.tls.Hellos.records;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.plugin.Plugins;
import dev.tether.rules.SampleExpression;
import dev.tether.rules.SampleRegistry;
import dev.tether.spi.Fetch;
import dev.tether.spi.FetchKeyword;
import dev.tether.spi.SampleType;
import dev.tether.spi.SessionView;
import dev.tether.spi.TetherPlugin;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Every fetch of the plugin, compiled and evaluated as the core's expressions do, on byte-exact hellos. */
class TlsFetchesTest {

    private static final SampleRegistry REGISTRY = registry();
    private final TestSession session = new TestSession();

    @AfterEach
    void releaseBuffers() {
        session.release();
    }

    /** The core's registry extended with what the plugin registers, as the plugin loader builds it. */
    private static SampleRegistry registry() {
        return Plugins.of(List.of(new TlsPlugin())).samples();
    }

    private Object eval(String expression) {
        return SampleExpression.compile(expression, REGISTRY).evaluate(session);
    }

    @Test
    void shouldBeFoundByTheServiceLoaderAsAProtocolsPlugin() {
        List<TetherPlugin> found = new ArrayList<>();
        ServiceLoader.load(TetherPlugin.class).forEach(found::add);
        assertThat(found).filteredOn(p -> p instanceof TlsPlugin).singleElement()
                .satisfies(p -> assertThat(p.module()).isEqualTo("protocols"));
    }

    @Test
    void shouldRegisterHaproxysTlsFetchesWithTheirTypes() {
        List<FetchKeyword> all = HelloFetches.keywords();
        assertThat(all).extracting(FetchKeyword::name).containsExactly("req.ssl_hello_type", "res.ssl_hello_type",
                "req.ssl_sni", "req.ssl_alpn", "req.ssl_ver", "req.ssl_st_ext", "req.ssl_ec_ext",
                "req_ssl_hello_type", "req_ssl_sni", "req_ssl_ver");
        assertThat(all).extracting(FetchKeyword::type).containsExactly(SampleType.INT, SampleType.INT,
                SampleType.STR, SampleType.STR, SampleType.INT, SampleType.INT, SampleType.BOOL,
                SampleType.INT, SampleType.STR, SampleType.INT);
    }

    @Test
    void shouldFetchEveryFieldOfAClientHello() {
        session.request(client().sessionId(new byte[32]).sni("A.Example.com").alpn("h2", "http/1.1").groups()
                .ticket(new byte[16]).bytes(), false);
        assertThat(eval("req.ssl_hello_type")).isEqualTo(1L);
        assertThat(eval("req.ssl_sni")).isEqualTo("A.Example.com");
        assertThat(eval("req.ssl_sni,lower")).isEqualTo("a.example.com");
        assertThat(eval("req.ssl_alpn")).isEqualTo("h2");
        assertThat(eval("req.ssl_ver")).isEqualTo(196_611L);
        assertThat(eval("req.ssl_st_ext")).isEqualTo(2L);
        assertThat(eval("req.ssl_ec_ext")).isEqualTo(true);
        assertThat(eval("req_ssl_hello_type")).isEqualTo(1L);
        assertThat(eval("req_ssl_sni")).isEqualTo("A.Example.com");
        assertThat(eval("req_ssl_ver")).isEqualTo(196_611L);
        // the session id the stickiness recipe keys on is where the core's payload fetch finds it
        assertThat(eval("req.payload_lv(43,1)")).isEqualTo(new byte[32]);
    }

    @Test
    void shouldAnswerNoSampleForAbsentExtensions() {
        session.request(client().version(0x0301).withoutExtensionBlock().bytes(), true);
        assertThat(eval("req.ssl_hello_type")).isEqualTo(1L);
        assertThat(eval("req.ssl_ver")).isEqualTo(196_609L);
        assertThat(eval("req.ssl_sni")).isNull();
        assertThat(eval("req.ssl_alpn")).isNull();
        assertThat(eval("req.ssl_st_ext")).isEqualTo(0L);
        assertThat(eval("req.ssl_ec_ext")).isEqualTo(false);
    }

    @Test
    void shouldFetchTheServerHelloTypeFromTheResponse() {
        session.request(Hellos.REFERENCE, true).response(record(Hellos.serverHello(new byte[32])), false);
        assertThat(eval("res.ssl_hello_type")).isEqualTo(2L);
        assertThat(eval("req.ssl_hello_type")).isEqualTo(1L);
    }

    @Test
    void shouldAnswerClientHelloFieldsOnlyForAClientHello() {
        session.request(record(Hellos.serverHello(new byte[32])), true);
        assertThat(eval("req.ssl_hello_type")).isEqualTo(2L);
        assertThat(eval("req.ssl_sni")).isNull();
        assertThat(eval("req.ssl_ver")).isNull();
    }

    @Test
    void shouldWaitForTheRestOfASplitHelloThenAnswer() {
        byte[] bytes = records(client().sni("c.example.com").message(), 20, 1000);
        session.request(Arrays.copyOf(bytes, 30), false);
        assertThat(eval("req.ssl_sni")).isSameAs(Fetch.NEED_MORE_DATA);
        assertThat(eval("req.ssl_hello_type")).isSameAs(Fetch.NEED_MORE_DATA);
        session.request(Arrays.copyOf(bytes, bytes.length - 1), false);
        assertThat(eval("req.ssl_sni")).isSameAs(Fetch.NEED_MORE_DATA);
        session.request(bytes, false);
        assertThat(eval("req.ssl_sni")).isEqualTo("c.example.com");
    }

    @Test
    void shouldAnswerNotFoundForATruncatedHelloOnceTheRequestIsComplete() {
        byte[] bytes = client().sni("c.example.com").bytes();
        session.request(Arrays.copyOf(bytes, bytes.length - 3), false);
        assertThat(eval("req.ssl_sni")).isSameAs(Fetch.NEED_MORE_DATA);
        session.requestComplete(true);
        assertThat(eval("req.ssl_sni")).isNull();
        assertThat(eval("req.ssl_hello_type")).isNull();
    }

    @Test
    void shouldAnswerNotFoundAtOnceForAnotherProtocol() {
        session.request(ascii("GET / HTTP/1.1\r\n"), false);
        assertThat(eval("req.ssl_hello_type")).isNull();
        assertThat(eval("req.ssl_sni")).isNull();
        session.response(ascii("220 ftp ready\r\n"), false);
        assertThat(eval("res.ssl_hello_type")).isNull();
    }

    @Test
    void shouldKeepTheHelloOnceReadEvenAfterTheBufferWasRelayed() {
        session.request(Hellos.REFERENCE, false);
        assertThat(eval("req.ssl_sni")).isEqualTo("example.com");
        // inspection over: the core's view of the request is empty again
        session.request(new byte[0], true);
        assertThat(eval("req.ssl_sni")).isEqualTo("example.com");
        assertThat(eval("req.len")).isEqualTo(0L);
    }

    @Test
    void shouldDecodeAgainOnlyWhenTheBufferChanged() {
        session.request(Arrays.copyOf(Hellos.REFERENCE, 50), false);
        assertThat(eval("req.ssl_sni")).isSameAs(Fetch.NEED_MORE_DATA);
        Object first = session.get(key());
        assertThat(eval("req.ssl_alpn")).isSameAs(Fetch.NEED_MORE_DATA);
        assertThat(session.get(key())).as("same size, same completeness: the kept decoding").isSameAs(first);
        session.requestComplete(true);
        assertThat(eval("req.ssl_alpn")).isNull();
        assertThat(session.get(key())).isNotSameAs(first);
    }

    @Test
    void shouldDecodeEveryTimeForAViewThatKeepsNoValues() {
        SessionView plain = new SessionView() {
            private final TestSession inner = session.request(Hellos.REFERENCE, false);

            @Override
            public InetSocketAddress source() {
                return inner.source();
            }

            @Override
            public InetSocketAddress destination() {
                return inner.destination();
            }

            @Override
            public InetSocketAddress socketSource() {
                return inner.socketSource();
            }

            @Override
            public InetSocketAddress socketDestination() {
                return inner.socketDestination();
            }

            @Override
            public String frontendName() {
                return "fe";
            }

            @Override
            public io.netty.buffer.ByteBuf requestBuffer() {
                return inner.requestBuffer();
            }

            @Override
            public boolean requestComplete() {
                return false;
            }
        };
        assertThat(SampleExpression.compile("req.ssl_sni", REGISTRY).evaluate(plain)).isEqualTo("example.com");
        assertThat(SampleExpression.compile("req.ssl_alpn", REGISTRY).evaluate(plain)).isEqualTo("h2");
    }

    /** The session key the fetches keep the client's hello under, found by asking the session what it holds. */
    private dev.tether.spi.SessionKey<Object> key() {
        return session.keys().stream().filter(k -> k.name().equals("tls.client-hello")).findFirst().orElseThrow();
    }
}
