package dev.tether.rdp;

import dev.tether.testing.TestSession;
import static dev.tether.rdp.Packets.ascii;
import static dev.tether.rdp.Packets.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tether.plugin.Plugins;
import dev.tether.rules.SampleExpression;
import dev.tether.spi.Fetch;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The RDP fetches as expressions compile them, over request buffers built from the specifications. */
class RequestFetchesTest {

    private static final Plugins PLUGINS = Plugins.of(List.of(new RdpPlugin()));
    private final TestSession session = new TestSession();

    @AfterEach
    void releaseBuffers() {
        session.release();
    }

    private Object fetch(String expression) {
        return SampleExpression.compile(expression, PLUGINS.samples()).evaluate(session);
    }

    @Test
    void shouldFetchTheNamedCookieIgnoringTheCaseOfItsName() {
        session.request(request().cookie("mstshash", "Alice").negotiate(3).bytes(), false);

        assertThat(fetch("req.rdp_cookie(mstshash)")).isEqualTo("Alice");
        assertThat(fetch("req.rdp_cookie(MSTSHASH)")).isEqualTo("Alice");
        assertThat(fetch("req.rdp_cookie")).isEqualTo("Alice");
        assertThat(fetch("req.rdp_cookie(msts)")).isNull();
        assertThat(fetch("req.rdp_cookie_cnt(mstshash)")).isEqualTo(1L);
        assertThat(fetch("req.rdp_cookie_cnt(msts)")).isEqualTo(0L);
        assertThat(fetch("req.rdp_cookie_cnt")).isEqualTo(1L);
    }

    @Test
    void shouldAnswerToHaproxysOlderNames() {
        session.request(request().cookie("mstshash", "bob").bytes(), false);

        assertThat(fetch("rdp_cookie(mstshash)")).isEqualTo("bob");
        assertThat(fetch("req_rdp_cookie(mstshash)")).isEqualTo("bob");
        assertThat(fetch("rdp_cookie_cnt")).isEqualTo(1L);
        assertThat(fetch("req_rdp_cookie_cnt(mstshash)")).isEqualTo(1L);
    }

    @Test
    void shouldReadTheCookieAsHaproxyDoesWithSpacesAndCaseInTheKeyword() {
        session.request(request().token("COOKIE:   mstshash=carol").bytes(), false);

        assertThat(fetch("req.rdp_cookie(mstshash)")).isEqualTo("carol");
        assertThat(fetch("req.rdp_token")).isNull();
    }

    @Test
    void shouldWaitWhileTheRequestIsIncomplete() {
        byte[] bytes = request().cookie("mstshash", "dave").negotiate(3).bytes();
        session.request(Arrays.copyOf(bytes, 20), false);

        assertThat(fetch("req.rdp_cookie(mstshash)")).isSameAs(Fetch.NEED_MORE_DATA);
        assertThat(fetch("req.rdp_cookie_cnt")).isSameAs(Fetch.NEED_MORE_DATA);
        assertThat(fetch("req.rdp_token")).isSameAs(Fetch.NEED_MORE_DATA);

        session.request(bytes, false);
        assertThat(fetch("req.rdp_cookie(mstshash)")).isEqualTo("dave");
    }

    @Test
    void shouldFindNoCookieInATruncatedRequestOnceNoMoreWillCome() {
        byte[] bytes = request().cookie("mstshash", "erin").negotiate(3).bytes();
        session.request(Arrays.copyOf(bytes, 30), true);

        assertThat(fetch("req.rdp_cookie(mstshash)")).isNull();
        assertThat(fetch("req.rdp_cookie_cnt")).isEqualTo(0L);
    }

    @Test
    void shouldFindNoCookieInOtherProtocolsWithoutWaiting() {
        session.request(ascii("GET / HTTP/1.1\r\nCookie: mstshash=x\r\n"), false);

        assertThat(fetch("req.rdp_cookie(mstshash)")).isNull();
        assertThat(fetch("req.rdp_cookie_cnt")).isEqualTo(0L);
    }

    @Test
    void shouldNotTakeACookieHaproxyWouldFindAtOffsetElevenOfABrokenHeader() {
        byte[] bytes = request().cookie("mstshash", "mallory").bytes();
        bytes[5] = (byte) 0xF0; // a data TPDU: HAProxy reads the cookie anyway
        session.request(bytes, false);

        assertThat(fetch("req.rdp_cookie(mstshash)")).isNull();
    }

    @Test
    void shouldFetchTheRoutingTokenAndTheCollection() {
        session.request(request().token("tsv://MS Terminal Services Plugin.1.Sales_Pool").negotiate(3).bytes(),
                false);

        assertThat(fetch("req.rdp_token")).isEqualTo("tsv://MS Terminal Services Plugin.1.Sales_Pool");
        assertThat(fetch("req.rdp_collection")).isEqualTo("Sales_Pool");
        assertThat(fetch("req.rdp_cookie_cnt")).isEqualTo(0L);
    }

    @Test
    void shouldFetchABrokersTokenAsTheRoutingTokenButNotTheUserCookie() {
        session.request(request().cookie("msts", "33554442.15629.0000").bytes(), false);
        assertThat(fetch("req.rdp_token")).isEqualTo("Cookie: msts=33554442.15629.0000");
        assertThat(fetch("req.rdp_collection")).isNull();

        TestSession user = new TestSession().request(request().cookie("mstshash", "frank").bytes(), false);
        try {
            assertThat(SampleExpression.compile("req.rdp_token", PLUGINS.samples()).evaluate(user)).isNull();
        } finally {
            user.release();
        }
    }

    @Test
    void shouldFetchTheRequestedProtocolsAndThePreconnectionFields() {
        session.request(request().preconnectionV2(77, "vm-7").cookie("mstshash", "gina").negotiate(0x0B).bytes(),
                false);

        assertThat(fetch("req.rdp_protocols")).isEqualTo(0x0BL);
        assertThat(fetch("req.rdp_pcb")).isEqualTo("vm-7");
        assertThat(fetch("req.rdp_pcid")).isEqualTo(77L);
        assertThat(fetch("req.rdp_cookie(mstshash)")).isEqualTo("gina");
    }

    @Test
    void shouldHaveNoProtocolsOrPreconnectionWhenTheRequestHasNone() {
        session.request(request().cookie("mstshash", "hal").bytes(), false);

        assertThat(fetch("req.rdp_protocols")).isNull();
        assertThat(fetch("req.rdp_pcb")).isNull();
        assertThat(fetch("req.rdp_pcid")).isNull();
    }

    @Test
    void shouldKeepTheRequestOnceReadAfterTheBufferWasRelayed() {
        session.request(request().cookie("mstshash", "ivan").bytes(), false);
        assertThat(fetch("req.rdp_cookie(mstshash)")).isEqualTo("ivan");

        session.request(new byte[0], true); // inspection ended: the core's view is empty
        assertThat(fetch("req.rdp_cookie(mstshash)")).isEqualTo("ivan");
    }

    @Test
    void shouldNotSettleOnAnEmptyBufferSeenBeforeInspection() {
        session.request(new byte[0], true); // a tcp-request connection rule runs before any byte
        assertThat(fetch("req.rdp_cookie_cnt")).isEqualTo(0L);

        session.request(request().cookie("mstshash", "judy").bytes(), false);
        assertThat(fetch("req.rdp_cookie_cnt")).isEqualTo(1L);
    }

    @Test
    void shouldRefuseMoreThanOneArgumentAndNamesThatBreakTheLine() {
        assertThatThrownBy(() -> fetch("req.rdp_cookie(a,b)")).hasMessageContaining("at most one argument");
        assertThatThrownBy(() -> fetch("req.rdp_cookie(a=b)")).hasMessageContaining("not a cookie name");
        assertThatThrownBy(() -> fetch("req.rdp_token(x)")).hasMessageContaining("takes no argument");
    }

    @Test
    void shouldReadABareRoutingTokenAsFreeRdpSendsWhatItIsGiven() {
        // what xfreerdp /load-balance-info:msts=16777343.15629.0000 sends, captured from FreeRDP 2.11
        session.request(Packets.hex("03 00 00 2D 28 E0 00 00 00 00 00 6D 73 74 73 3D 31 36 37 37 37 33 34 33 2E"
                + " 31 35 36 32 39 2E 30 30 30 30 0D 0A 01 00 08 00 03 00 00 00"), false);

        assertThat(fetch("req.rdp_cookie(msts)")).isEqualTo("16777343.15629.0000");
        assertThat(fetch("req.rdp_cookie_cnt")).isEqualTo(1L);
        assertThat(fetch("req.rdp_token")).isEqualTo("msts=16777343.15629.0000");
    }

    @Test
    void shouldNotReadOtherLinesAsBareCookies() {
        session.request(request().token("tsv://MS Terminal Services Plugin.1.A=B").bytes(), false);
        assertThat(fetch("req.rdp_cookie_cnt")).isEqualTo(0L);

        TestSession spaced = new TestSession().request(request().token("user name=alice").bytes(), false);
        try {
            assertThat(SampleExpression.compile("req.rdp_cookie_cnt", PLUGINS.samples()).evaluate(spaced))
                    .isEqualTo(0L);
        } finally {
            spaced.release();
        }
    }
}
