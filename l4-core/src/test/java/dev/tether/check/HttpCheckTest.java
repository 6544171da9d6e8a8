package dev.tether.check;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.config.HttpCheckConfig;
import dev.tether.config.HttpCheckConfig.Expect;
import dev.tether.config.HttpCheckConfig.Header;
import dev.tether.config.HttpCheckConfig.Match;
import dev.tether.config.HttpCheckConfig.Request;
import dev.tether.config.HttpCheckConfig.Send;
import dev.tether.config.Location;
import dev.tether.spi.CheckScript;
import dev.tether.spi.CheckScript.Result;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The request bytes are the ones HAProxy 2.6 sent for the same lines (captured with a listening socat), and the
 * verdicts the ones it logged against nginx (docs/health-checks.md, "HTTP checks").
 */
class HttpCheckTest {

    private static final Location HERE = Location.builtIn("HttpCheckTest");

    private static HttpCheckConfig config(Request option, HttpCheckConfig.Rule... rules) {
        HttpCheckConfig c = new HttpCheckConfig(HERE, option, List.of(rules));
        return c;
    }

    private static Request option(String method, String uri, String version) {
        return new Request(method, uri, version, List.of(), "");
    }

    private static Send send(String method, String uri, String version, String body, Header... headers) {
        return new Send(HERE, new Request(method, uri, version, List.of(headers), body), "");
    }

    private static Expect expect(boolean negate, Match match, String pattern) {
        return new Expect(HERE, negate, match, pattern, -1, "");
    }

    private static String request(HttpCheckConfig c) {
        CheckScript.Send s = (CheckScript.Send) HttpCheck.script(c).steps().get(0);
        return new String(s.data(), StandardCharsets.ISO_8859_1);
    }

    /** Runs the script's expects on {@code response} as if the server sent it and closed. */
    private static Result verdict(HttpCheckConfig c, String response, boolean ended) {
        List<CheckScript.Step> steps = new ArrayList<>(HttpCheck.script(c).steps());
        Result last = Result.PASS;
        for (CheckScript.Step s : steps.subList(1, steps.size())) {
            last = ((CheckScript.Expect) s).check().check(
                    Unpooled.wrappedBuffer(response.getBytes(StandardCharsets.ISO_8859_1)), ended);
            if (!last.passed()) {
                return last;
            }
        }
        return last;
    }

    @Test
    void withoutArgumentsItSendsOptionsSlashHttp10AndNothingElse() {
        assertThat(request(config(HttpCheckConfig.DEFAULT_REQUEST))).isEqualTo("OPTIONS / HTTP/1.0\r\n\r\n");
    }

    @Test
    void http11GetsLowerCaseHeadersThenConnectionClose() {
        Request fromVersion = new Request("HEAD", "/c", "HTTP/1.1", List.of(new Header("Host", "www"),
                new Header("X-A", "b")), "");
        assertThat(request(config(fromVersion))).isEqualTo(
                "HEAD /c HTTP/1.1\r\nhost: www\r\nx-a: b\r\nconnection: close\r\n\r\n");
    }

    @Test
    void aSendRuleFillsInTheOptionsRequestAndABodyGetsItsLength() {
        HttpCheckConfig c = config(option("PUT", "/a", "HTTP/1.1"), send(null, null, null, "abc def",
                new Header("Host", "h.example"), new Header("Content-Type", "text/plain")));
        assertThat(request(c)).isEqualTo("PUT /a HTTP/1.1\r\nhost: h.example\r\ncontent-type: text/plain\r\n"
                + "content-length: 7\r\nconnection: close\r\n\r\nabc def");

        HttpCheckConfig post = config(option("POST", "/x", "HTTP/1.0"), send(null, null, null, "hello"));
        assertThat(request(post)).isEqualTo("POST /x HTTP/1.0\r\ncontent-length: 5\r\n\r\nhello");

        HttpCheckConfig uriOnly = config(HttpCheckConfig.DEFAULT_REQUEST, send(null, "/ok", null, "",
                new Header("Host", "x")));
        assertThat(request(uriOnly)).isEqualTo("OPTIONS /ok HTTP/1.0\r\nhost: x\r\n\r\n");
    }

    @Test
    void aConnectionHeaderOfTheirOwnIsDroppedAndNoCloseIsAdded() {
        HttpCheckConfig c = config(option("GET", "/b", "HTTP/1.1"), send(null, null, null, "",
                new Header("Connection", "keep-alive")));
        assertThat(request(c)).isEqualTo("GET /b HTTP/1.1\r\n\r\n");
    }

    @Test
    void byDefaultA2xxOr3xxStatusPassesWithItsCode() {
        HttpCheckConfig c = config(HttpCheckConfig.DEFAULT_REQUEST);
        Result ok = verdict(c, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", false);
        assertThat(ok.passed()).isTrue();
        assertThat(ok.code()).isEqualTo(200);
        Result found = verdict(c, "HTTP/1.1 302 Found\r\n\r\n", false);
        assertThat(found.passed()).isTrue();
        assertThat(found.code()).isEqualTo(302);

        Result down = verdict(c, "HTTP/1.1 503 Service Temporarily Unavailable\r\n\r\n", false);
        assertThat(down.isWrongStatus()).isTrue();
        assertThat(down.code()).isEqualTo(503);
        assertThat(down.reason()).isEqualTo("Service Temporarily Unavailable");
        assertThat(verdict(c, "HTTP/1.0 404 Not Found\r\n\r\n", true).code()).isEqualTo(404);
    }

    @Test
    void aStatusIsJudgedOnceTheHeadersEndNotBefore() {
        HttpCheckConfig c = config(HttpCheckConfig.DEFAULT_REQUEST);
        assertThat(verdict(c, "HTTP/1.1 200 OK\r\nServer: x\r\n", false)).isSameAs(Result.WAIT);
        assertThat(verdict(c, "HTTP/1.", false)).isSameAs(Result.WAIT);
        assertThat(verdict(c, "HTTP/1.1 200 OK\r\nServer: x\r\n", true).reason()).startsWith("the headers did not end");
    }

    @Test
    void statusListsRangesRegexesAndNegation() {
        assertThat(verdict(config(option("GET", "/", "HTTP/1.0"), expect(false, Match.STATUS, "200,204,300-302")),
                "HTTP/1.0 301 Moved\r\n\r\n", true).passed()).isTrue();
        assertThat(verdict(config(option("GET", "/", "HTTP/1.0"), expect(false, Match.STATUS, "200")),
                "HTTP/1.0 201 Created\r\n\r\n", true).isWrongStatus()).isTrue();
        assertThat(verdict(config(option("GET", "/", "HTTP/1.0"), expect(false, Match.RSTATUS, "^2")),
                "HTTP/1.0 299 X\r\n\r\n", true).passed()).isTrue();
        Result notFiveHundred = verdict(config(option("GET", "/", "HTTP/1.0"), expect(true, Match.RSTATUS, "^5")),
                "HTTP/1.0 500 Internal Server Error\r\n\r\n", true);
        assertThat(notFiveHundred.isWrongStatus()).isTrue();
        assertThat(notFiveHundred.code()).isEqualTo(500);
    }

    @Test
    void bodyRulesWaitForTheWholeBodyByContentLengthChunksOrClose() {
        HttpCheckConfig good = config(option("GET", "/ok", "HTTP/1.1"), expect(false, Match.STRING, "good"));
        assertThat(verdict(good, "HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\nall g", false)).isSameAs(Result.WAIT);
        Result whole = verdict(good, "HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\nall good\n", false);
        assertThat(whole.passed()).isTrue();
        assertThat(whole.code()).isEqualTo(200);
        assertThat(verdict(good, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nall \r\n", false))
                .isSameAs(Result.WAIT);
        assertThat(verdict(good, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nall \r\n5\r\ngood\n"
                + "\r\n0\r\n\r\n", false).passed()).isTrue();
        // "go" and "od" in separate chunks still make "good": the rule sees the data, not the framing
        assertThat(verdict(good, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\ngo\r\n2\r\nod\r\n0\r\n"
                + "\r\n", false).passed()).isTrue();
        assertThat(verdict(good, "HTTP/1.0 200 OK\r\n\r\nall good", false)).isSameAs(Result.WAIT);
        assertThat(verdict(good, "HTTP/1.0 200 OK\r\n\r\nall good", true).passed()).isTrue();

        Result nomatch = verdict(good, "HTTP/1.0 200 OK\r\n\r\nall bad", true);
        assertThat(nomatch.failed()).isTrue();
        assertThat(nomatch.isWrongStatus()).isFalse();
        assertThat(nomatch.reason()).isEqualTo("HTTP content check did not match");

        HttpCheckConfig unwanted = config(option("GET", "/ok", "HTTP/1.1"), expect(true, Match.STRING, "good"));
        assertThat(verdict(unwanted, "HTTP/1.0 200 OK\r\n\r\nall good", true).reason())
                .isEqualTo("HTTP check matched unwanted content");
        assertThat(verdict(config(option("GET", "/", "HTTP/1.0"), expect(false, Match.RSTRING, "^all")),
                "HTTP/1.0 200 OK\r\nContent-Length: 3\r\n\r\nall", false).passed()).isTrue();
    }

    @Test
    void requestTextAndExpectedTextAreTheBytesTheConfigurationStandsFor() {
        // "\xE9" from an escape is one byte; "é" written in the (UTF-8) file is two, as HAProxy sends them
        HttpCheckConfig c = config(option("POST", "/caf\udce9", "HTTP/1.0"), send(null, null, null, "é"));
        assertThat(request(c)).isEqualTo("POST /caf\u00e9 HTTP/1.0\r\ncontent-length: 2\r\n\r\n\u00c3\u00a9");

        String utf8 = "HTTP/1.0 200 OK\r\n\r\nstatus: \u00c3\u00a9t\u00c3\u00a9";
        assertThat(verdict(config(option("GET", "/", "HTTP/1.0"), expect(false, Match.STRING, "été")), utf8, true)
                .passed()).isTrue();
        assertThat(verdict(config(option("GET", "/", "HTTP/1.0"), expect(false, Match.RSTRING, "^status: [é]+t")),
                utf8, true).passed()).isTrue();
        assertThat(verdict(config(option("GET", "/", "HTTP/1.0"), expect(false, Match.STRING, "\udce9t")), utf8,
                true).failed()).isTrue();
    }

    @Test
    void everyRuleMustPassAndTheFirstFailureDecides() {
        HttpCheckConfig both = config(option("GET", "/ok", "HTTP/1.0"), expect(false, Match.STATUS, "200"),
                expect(false, Match.STRING, "good"));
        assertThat(verdict(both, "HTTP/1.0 200 OK\r\n\r\nall good", true).passed()).isTrue();
        assertThat(verdict(both, "HTTP/1.0 503 Busy\r\n\r\nall good", true).isWrongStatus()).isTrue();
        assertThat(verdict(both, "HTTP/1.0 200 OK\r\n\r\nall bad", true).reason())
                .isEqualTo("HTTP content check did not match");
    }

    @Test
    void aHeadResponseOrA204HasNoBodyToWaitFor() {
        HttpCheckConfig head = config(option("HEAD", "/", "HTTP/1.1"), expect(true, Match.STRING, "error"));
        assertThat(verdict(head, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n", false).passed()).isTrue();
        HttpCheckConfig get = config(option("GET", "/", "HTTP/1.1"), expect(true, Match.STRING, "error"));
        assertThat(verdict(get, "HTTP/1.1 204 No Content\r\n\r\n", false).passed()).isTrue();
    }

    @Test
    void whatIsNotHttpFailsAsAnInvalidResponseWithoutWaitingForTheTimeout() {
        HttpCheckConfig c = config(HttpCheckConfig.DEFAULT_REQUEST);
        Result redis = verdict(c, "-ERR unknown command 'OPTIONS'\r\n", false);
        assertThat(redis.failed()).isTrue();
        assertThat(redis.isWrongStatus()).isFalse();
        assertThat(redis.reason()).startsWith("not an HTTP status line: -ERR unknown command");
        assertThat(verdict(c, "SSH-2.0-OpenSSH", false).reason()).startsWith("not an HTTP response");
        assertThat(verdict(c, "", true).reason()).startsWith("empty response");
        assertThat(verdict(c, "HTTP/1.0 abc\r\n\r\n", true).reason()).startsWith("not an HTTP status line");
        assertThat(verdict(c, "HTTP/1.0 200 OK\r\nbroken\r\n\r\n", true).reason())
                .startsWith("a header line without a colon");
    }

    @Test
    void aRuleCommentReplacesTheReason() {
        HttpCheckConfig c = config(option("GET", "/", "HTTP/1.0"),
                new Expect(HERE, false, Match.STATUS, "200", -1, "primary only"));
        Result r = verdict(c, "HTTP/1.0 503 Replica\r\n\r\n", true);
        assertThat(r.reason()).isEqualTo("primary only");
        assertThat(r.code()).isEqualTo(503);
    }

    @Test
    void underDisableOn404A404IsAConditionalPassWhateverTheRules() {
        HttpCheckConfig c = config(option("GET", "/", "HTTP/1.0"), new HttpCheckConfig.DisableOn404(HERE),
                expect(false, Match.STATUS, "200"));
        Result r = verdict(c, "HTTP/1.0 404 Not Found\r\n\r\n", true);
        assertThat(r.passed()).isTrue();
        assertThat(r.conditional()).isTrue();
        assertThat(r.code()).isEqualTo(404);
        assertThat(verdict(c, "HTTP/1.0 200 OK\r\n\r\n", true).conditional()).isFalse();
        assertThat(verdict(config(option("GET", "/", "HTTP/1.0")), "HTTP/1.0 404 Not Found\r\n\r\n", true)
                .isWrongStatus()).as("without the rule a 404 fails").isTrue();
    }

    @Test
    void absurdLengthsAndChunkSizesAreReadAsFarAsTheBytesGo() {
        HttpCheckConfig good = config(option("GET", "/", "HTTP/1.0"), expect(false, Match.STRING, "good"));
        assertThat(verdict(good, "HTTP/1.0 200 OK\r\nContent-Length: 9223372036854775807\r\n\r\ngood", false))
                .isSameAs(Result.WAIT);
        assertThat(verdict(good, "HTTP/1.0 200 OK\r\nContent-Length: 9223372036854775807\r\n\r\ngood", true)
                .passed()).isTrue();
        assertThat(verdict(good, "HTTP/1.0 200 OK\r\nContent-Length: 99999999999999999999\r\n\r\ngood", true)
                .reason()).startsWith("a Content-Length that is not a number");
        assertThat(verdict(good, "HTTP/1.0 200 OK\r\nContent-Length: -4\r\n\r\ngood", true).reason())
                .startsWith("a Content-Length that is not a number");
        assertThat(verdict(good, "HTTP/1.0 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nffffffffffff\r\ngood", true)
                .passed()).isTrue();
        assertThat(verdict(good, "HTTP/1.0 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\ngood", true)
                .reason()).isEqualTo("HTTP content check did not match");
    }
}
