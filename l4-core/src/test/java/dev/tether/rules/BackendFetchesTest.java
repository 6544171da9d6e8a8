package dev.tether.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tether.config.ConfigLoader;
import dev.tether.model.BackendModel;
import dev.tether.model.ModelBuilder;
import dev.tether.model.QueuedSession;
import dev.tether.model.RuntimeModel;
import dev.tether.model.ServerModel;
import dev.tether.model.ServerState;
import dev.tether.spi.SessionView;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BackendFetchesTest {

    private static final QueuedSession WAITING = new QueuedSession() {
        @Override
        public boolean slotGranted(ServerModel server) {
            return false;
        }

        @Override
        public void redispatch(ServerModel downServer) {
        }
    };

    private final RuntimeModel model;
    private final BackendModel app;
    private final BackendModel limited;
    private final TestCoreSession session = new TestCoreSession("10.0.0.1", 40000);

    BackendFetchesTest() throws Exception {
        String cfg = "defaults\n timeout connect 1s\n timeout client 1s\n timeout server 1s\n"
                + "frontend fe\n bind :0\n default_backend app\n"
                + "backend app\n server a1 127.0.0.1:1\n server a2 127.0.0.1:2\n server a3 127.0.0.1:3\n"
                + " server b1 127.0.0.1:4 backup\n server b2 127.0.0.1:5 backup\n"
                + "backend limited\n server l1 127.0.0.1:6 maxconn 10 maxqueue 5\n"
                + " server l2 127.0.0.1:7 maxconn 4 maxqueue 2\n"
                + "backend allbk\n option allbackups\n server b1 127.0.0.1:8 backup\n server b2 127.0.0.1:9 backup\n";
        model = ModelBuilder.build(ConfigLoader.parse("t.cfg", cfg, Map.of()));
        app = model.backend("app");
        limited = model.backend("limited");
        session.backend(app, true).backend(limited, false).backend(model.backend("allbk"), false);
    }

    private Object eval(String expression) {
        return eval(expression, session);
    }

    private static Object eval(String expression, SessionView s) {
        return SampleExpression.compile(expression, SampleRegistry.standard()).evaluate(s);
    }

    private static void down(ServerModel s) {
        s.state().operational(false, System.nanoTime());
    }

    @Test
    void nbsrvCountsActiveServersThatMayTakeABalancedSession() {
        assertThat(eval("nbsrv")).isEqualTo(3L);
        down(app.server("a1"));
        app.server("a2").state().admin(ServerState.Admin.DRAIN, System.nanoTime());
        assertThat(eval("nbsrv(app)")).isEqualTo(1L);
        app.server("a3").state().weight(0);
        assertThat(eval("nbsrv")).as("only the first backup serves without allbackups").isEqualTo(1L);
        assertThat(eval("nbsrv(allbk)")).isEqualTo(2L);
        down(app.server("b1"));
        down(app.server("b2"));
        assertThat(eval("nbsrv")).isEqualTo(0L);
    }

    @Test
    void beConnAndQueueReadTheBackendCounters() {
        app.counter().increment();
        app.counter().increment();
        assertThat(eval("be_conn")).isEqualTo(2L);
        assertThat(eval("be_conn(limited)")).isEqualTo(0L);
        app.queue().offer(WAITING, null, 0);
        app.queue().offer(WAITING, app.server("a1"), 0);
        assertThat(eval("queue")).isEqualTo(2L);
        assertThat(eval("queue(limited)")).isEqualTo(0L);
    }

    @Test
    void connslotsSumsFreeSlotsAndQueuePlacesOfServersNotDown() {
        assertThat(eval("connslots(limited)")).isEqualTo((10 + 5) + (4 + 2L));
        ServerModel l2 = limited.server("l2");
        l2.state().connections().increment();
        limited.queue().offer(WAITING, l2, 2);
        assertThat(eval("connslots(limited)")).isEqualTo((10 + 5) + (3 + 1L));
        down(limited.server("l1"));
        assertThat(eval("connslots(limited)")).isEqualTo(3 + 1L);
    }

    @Test
    void connslotsIsMinusOneWhenAServerIsUnlimited() {
        assertThat(eval("connslots")).isEqualTo(-1L);
    }

    @Test
    void srvIsUpIsTrueUnlessTheServerIsDownOrInMaintenance() {
        assertThat(eval("srv_is_up(app/a1)")).isEqualTo(true);
        assertThat(eval("srv_is_up(a1)")).as("the session's backend").isEqualTo(true);
        app.server("a2").state().admin(ServerState.Admin.DRAIN, System.nanoTime());
        assertThat(eval("srv_is_up(app/a2)")).as("drained is up").isEqualTo(true);
        down(app.server("a1"));
        limited.server("l1").state().admin(ServerState.Admin.MAINT, System.nanoTime());
        assertThat(eval("srv_is_up(app/a1)")).isEqualTo(false);
        assertThat(eval("srv_is_up(limited/l1)")).isEqualTo(false);
        assertThat(eval("srv_is_up(app/nosuch)")).isNull();
        assertThat(eval("srv_is_up(nosuch/a1)")).isNull();
    }

    @Test
    void withoutABackendThereIsNoSample() {
        TestCoreSession beforeRouting = new TestCoreSession("10.0.0.1", 1);
        assertThat(eval("nbsrv", beforeRouting)).isNull();
        assertThat(eval("be_conn(nosuch)")).isNull();
        assertThat(eval("queue", TestSession.of("10.0.0.1", 1, "10.0.0.2", 2))).isNull();
    }

    @Test
    void badArgumentsAreRefused() {
        assertThatThrownBy(() -> eval("srv_is_up"))
                .hasMessage("'srv_is_up' expects [<backend>/]<server>, found 0 arguments");
        assertThatThrownBy(() -> eval("srv_is_up(app/)"))
                .hasMessage("'srv_is_up' expects [<backend>/]<server>, found 'app/'");
        assertThatThrownBy(() -> eval("nbsrv(a,b)")).hasMessage("'nbsrv' expects [<backend>], found 2 arguments");
    }

    @Test
    void aConditionCanSwitchOnTheNumberOfServers() throws Exception {
        Condition fewServers = PayloadFetchesTest.condition("{ nbsrv(app) lt 2 }");
        assertThat(fewServers.evaluate(session)).isEqualTo(Match.FALSE);
        down(app.server("a1"));
        down(app.server("a2"));
        assertThat(fewServers.evaluate(session)).isEqualTo(Match.TRUE);
    }

    @Test
    void freeSlotsCountWhatBalancedSessionsMayStillTake() {
        assertThat(eval("be_conn_free")).as("no maxconn: unlimited").isEqualTo(-1L);
        assertThat(eval("be_conn_free(limited)")).isEqualTo(14L);
        ServerModel l2 = limited.server("l2");
        l2.state().connections().increment();
        assertThat(eval("be_conn_free(limited)")).isEqualTo(13L);
        assertThat(eval("srv_conn_free(limited/l2)")).isEqualTo(3L);
        assertThat(eval("srv_conn_free(a1)")).isEqualTo(-1L);
        assertThat(eval("srv_conn(limited/l2)")).isEqualTo(1L);
        down(limited.server("l1"));
        assertThat(eval("be_conn_free(limited)")).as("a server down counts no more").isEqualTo(3L);
        limited.queue().offer(WAITING, l2, 0);
        assertThat(eval("srv_queue(limited/l2)")).isEqualTo(1L);
        assertThat(eval("srv_queue(limited/l1)")).isEqualTo(0L);
    }

    @Test
    void avgQueueSharesTheQueueOverTheServersThatMayTakeIt() {
        for (int i = 0; i < 4; i++) {
            app.queue().offer(WAITING, null, 0);
        }
        assertThat(eval("avg_queue")).as("4 over 3 servers, rounded up").isEqualTo(2L);
        down(app.server("a1"));
        down(app.server("a2"));
        assertThat(eval("avg_queue(app)")).isEqualTo(4L);
        down(app.server("a3"));
        down(app.server("b1"));
        down(app.server("b2"));
        assertThat(eval("avg_queue")).as("HAProxy: twice the queue without a server").isEqualTo(8L);
    }

    @Test
    void theSessionsBackendAndServerByNameAndId() {
        assertThat(eval("be_name")).isEqualTo("app");
        assertThat(eval("be_id")).isEqualTo((long) app.id());
        assertThat(eval("srv_name")).isNull();
        session.server = app.server("a2");
        assertThat(eval("srv_name")).isEqualTo("a2");
        assertThat(eval("srv_id")).isEqualTo(2L);
        assertThat(eval("be_name", new TestCoreSession("10.0.0.1", 1))).isNull();
    }
}
