package dev.tether.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.config.ConfigLoader;
import dev.tether.config.Location;
import dev.tether.config.StatsPageConfig;
import dev.tether.engine.Tether;
import dev.tether.engine.TetherOptions;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The statistics page: served by a real Tether, asked by curl, as an operator's browser or script would. */
class StatsPageTest {

    private static final String CONFIG = String.join("\n",
            "defaults",
            "  mode tcp",
            "  timeout connect 1s",
            "  timeout client 5s",
            "  timeout server 5s",
            "frontend web",
            "  bind 127.0.0.1:0",
            "  default_backend app",
            "backend app",
            "  server s1 127.0.0.1:1 weight 3",
            "listen stats",
            "  mode http",
            "  bind 127.0.0.1:0",
            "  stats enable",
            "  stats uri /monitor",
            "  stats auth admin:s3cret",
            "  stats refresh 5s",
            "");

    private Tether tether;

    @AfterEach
    void stop() {
        if (tether != null) {
            tether.close();
        }
    }

    private String base() throws Exception {
        tether = Tether.start(ConfigLoader.parse("t.cfg", CONFIG, Map.of()),
                TetherOptions.defaults().withEventLoops(1));
        List<InetSocketAddress> addresses = tether.statsPage().addresses();
        assertThat(addresses).hasSize(1);
        return "http://127.0.0.1:" + addresses.get(0).getPort();
    }

    @Test
    void servesTheRuntimeApisCsvAndAnHtmlTableToAClientThatAuthenticates() throws Exception {
        String base = base();

        Curl csv = curl("-u", "admin:s3cret", base + "/monitor;csv");
        assertThat(csv.status()).isEqualTo(200);
        assertThat(csv.body()).startsWith("# pxname,svname,qcur,");
        assertThat(csv.body().lines().map(l -> l.split(",")[0] + "," + l.split(",")[1]))
                .contains("web,FRONTEND", "app,s1", "app,BACKEND");
        assertThat(csv.body().lines().filter(l -> l.startsWith("app,s1,"))).singleElement()
                .satisfies(l -> assertThat(l.split(",")[18]).isEqualTo("3")); // weight

        Curl html = curl("-u", "admin:s3cret", base + "/monitor");
        assertThat(html.status()).isEqualTo(200);
        assertThat(html.body()).contains("<h2>web</h2>", "<h2>app</h2>", "<td>s1</td>",
                "<meta http-equiv=\"refresh\" content=\"5\">");
        assertThat(curl("-u", "admin:s3cret", base + "/monitor;norefresh").body()).doesNotContain("refresh\"");
    }

    @Test
    void asksForCredentialsAndRefusesWrongOnes() throws Exception {
        String base = base();

        Curl none = curl("-D", "-", base + "/monitor;csv");
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.body()).containsIgnoringCase("www-authenticate: Basic realm=\"Tether Statistics\"");
        assertThat(curl("-u", "admin:wrong", base + "/monitor;csv").status()).isEqualTo(401);
        assertThat(curl("-u", "admin:s3cret", base + "/monitor;csv").status()).isEqualTo(200);
    }

    @Test
    void answersOtherPathsAndMethodsWithoutTheStatistics() throws Exception {
        String base = base();

        Curl other = curl("-u", "admin:s3cret", base + "/elsewhere");
        assertThat(other.status()).isEqualTo(404);
        assertThat(other.body()).doesNotContain("pxname");
        assertThat(curl("-u", "admin:s3cret", "-X", "POST", base + "/monitor").status()).isEqualTo(405);
        Curl head = curl("-u", "admin:s3cret", "-I", base + "/monitor;csv");
        assertThat(head.status()).isEqualTo(200);
        assertThat(head.body()).doesNotContain("pxname");
    }

    @Test
    void stopsListeningWhenTetherStops() throws Exception {
        String base = base();
        assertThat(curl("-u", "admin:s3cret", base + "/monitor;csv").status()).isEqualTo(200);

        tether.stopGracefully(java.time.Duration.ZERO).get(10, TimeUnit.SECONDS);

        assertThat(curl("-u", "admin:s3cret", base + "/monitor;csv").status()).isEqualTo(0); // refused
    }

    @Test
    void closesConnectionsBeyondItsLimitAtOnceAndServesAgainOnceTheyGo() throws Exception {
        String base = base();
        int port = tether.statsPage().addresses().get(0).getPort();
        List<java.net.Socket> idle = new ArrayList<>();
        try {
            for (int i = 0; i < StatsPage.MAX_CONNECTIONS; i++) {
                idle.add(new java.net.Socket("127.0.0.1", port));
            }
            try (java.net.Socket extra = new java.net.Socket("127.0.0.1", port)) {
                extra.setSoTimeout(5000);
                assertThat(extra.getInputStream().read()).isEqualTo(-1); // closed by the page, not timed out
            }
        } finally {
            for (java.net.Socket s : idle) {
                s.close();
            }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        int status = 0;
        while (status != 200 && System.nanoTime() < deadline) {
            status = curl("-u", "admin:s3cret", base + "/monitor;csv").status();
        }
        assertThat(status).isEqualTo(200);
    }

    // ---- bad input, byte for byte on the handler -------------------------------------------------------------

    private static EmbeddedChannel page() {
        StatsPageConfig c = new StatsPageConfig(Location.builtIn("test"), "stats", List.of(), "/", "r", List.of(),
                0, false);
        return new EmbeddedChannel(new HttpServerCodec(StatsPage.MAX_REQUEST, StatsPage.MAX_REQUEST,
                StatsPage.MAX_REQUEST), new HttpObjectAggregator(StatsPage.MAX_REQUEST),
                new StatsPage.Handler(c, new StatsPage.Rows(() -> "# pxname,svname,status,\nweb,FRONTEND,OPEN,\n",
                        List::of), "v"));
    }

    private static String answer(EmbeddedChannel ch, String request) {
        ch.writeInbound(Unpooled.copiedBuffer(request, StandardCharsets.ISO_8859_1));
        StringBuilder out = new StringBuilder();
        for (ByteBuf b; (b = ch.readOutbound()) != null; ) {
            out.append(b.toString(StandardCharsets.UTF_8));
            b.release();
        }
        return out.toString();
    }

    @Test
    void answersAnOversizedRequestWith431AndCloses() {
        EmbeddedChannel ch = page();

        String reply = answer(ch, "GET / HTTP/1.1\r\nX-Big: " + "a".repeat(StatsPage.MAX_REQUEST + 10) + "\r\n\r\n");

        assertThat(reply).startsWith("HTTP/1.1 431 ");
        assertThat(ch.isOpen()).isFalse();
        ch.finishAndReleaseAll();
    }

    @Test
    void answersGarbageWith400AndCloses() {
        EmbeddedChannel ch = page();

        String reply = answer(ch, "\u0001\u0002 not http at all\r\n\r\n");

        assertThat(reply).startsWith("HTTP/1.1 400 ");
        assertThat(ch.isOpen()).isFalse();
        ch.finishAndReleaseAll();
    }

    @Test
    void servesOneRequestPerConnection() {
        EmbeddedChannel ch = page();

        String reply = answer(ch, "GET /;csv HTTP/1.1\r\nHost: x\r\n\r\n");

        assertThat(reply).startsWith("HTTP/1.1 200 OK\r\n").contains("connection: close")
                .endsWith("# pxname,svname,status,\nweb,FRONTEND,OPEN,\n");
        assertThat(ch.isOpen()).isFalse();
        ch.finishAndReleaseAll();
    }

    @Test
    void escapesWhatItPutsInTheHtml() {
        StatsPageConfig c = new StatsPageConfig(Location.builtIn("test"), "stats", List.of(), "/", "r", List.of(),
                0, true);

        String[] row = new String[StatField.values().length];
        java.util.Arrays.fill(row, "");
        row[StatField.PXNAME.ordinal()] = "<b>";
        row[StatField.SVNAME.ordinal()] = "FRONTEND";
        row[StatField.STATUS.ordinal()] = "OPEN";

        String html = StatsPage.html(List.<String[]>of(row), c, "v", false);

        assertThat(html).contains("<h2>&lt;b&gt;</h2>").doesNotContain("<b>").doesNotContain("Version");
    }

    // ---- curl --------------------------------------------------------------------------------------------------

    private record Curl(int status, String body) {
    }

    /** curl's answer: the status code (0 when it could not connect) and what it printed. */
    private static Curl curl(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("curl", "-s", "--max-time", "5", "-w", "\n%{http_code}"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        int cut = out.lastIndexOf('\n');
        return new Curl(Integer.parseInt(out.substring(cut + 1).trim()), out.substring(0, cut));
    }
}
