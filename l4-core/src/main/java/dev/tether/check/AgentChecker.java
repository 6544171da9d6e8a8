package dev.tether.check;

import dev.tether.backend.ServerControl;
import dev.tether.config.ServerOptions;
import dev.tether.model.CheckStatus;
import dev.tether.model.ServerModel;
import dev.tether.model.ServerState;
import dev.tether.spi.CheckScript;
import dev.tether.spi.ConfigBytes;
import io.netty.channel.ChannelFactory;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent check of one server (CFG §5.2 agent-check): every {@code agent-inter} it connects to the agent, sends
 * {@code agent-send} if any, reads one line and applies what the line says ({@link AgentReply}) through
 * {@link ServerControl}. An agent that cannot be reached changes nothing: reaching the server is the health check's
 * job. The agent keeps running in maintenance, since only it can say {@code ready} again.
 *
 * <p>Threading: as {@link ServerChecker}, every method runs on the control thread of {@link HealthChecks}; one run
 * at a time.
 */
final class AgentChecker {

    private static final Logger LOG = LoggerFactory.getLogger(AgentChecker.class);

    private final ServerModel server;
    private final ServerControl control;
    private final EventLoopGroup group;
    private final ChannelFactory<? extends SocketChannel> channelFactory;
    private final long connectTimeout;
    private final long checkTimeout;
    private final Consumer<Runnable> toControl;

    private final CheckTimer timer;

    AgentChecker(ServerModel server, ServerControl control, ScheduledExecutorService controlThread,
            EventLoopGroup group, ChannelFactory<? extends SocketChannel> channelFactory, long connectTimeout,
            long checkTimeout, Consumer<Runnable> toControl) {
        this.server = server;
        this.control = control;
        this.group = group;
        this.channelFactory = channelFactory;
        this.connectTimeout = connectTimeout;
        this.checkTimeout = checkTimeout;
        this.toControl = toControl;
        this.timer = new CheckTimer(server, controlThread, this::run);
    }

    /**
     * Connect to the agent (closed cleanly), send agent-send, read the line; null while there is no address, or while
     * the agent is at the server's address and that address no longer resolves.
     */
    static CheckPlan plan(ServerModel server) {
        ServerOptions options = server.options();
        ServerState.CheckOverrides o = server.state().checkOverrides();
        InetAddress host = o.agentAddr() != null ? o.agentAddr() : server.addressNow();
        if (o.agentAddr() == null && options.agent().addr().isEmpty() && !options.checkAddr().isEmpty()
                && server.checkTarget() != null) {
            // the check's addr, resolved when the configuration was loaded
            host = server.checkTarget().getAddress();
        } else if (o.agentAddr() == null && !options.agentAddr().isEmpty()) {
            try {
                host = InetAddress.getByName(options.agentAddr());
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("agent address '" + options.agentAddr() + "' is not an address",
                        e);
            }
        }
        if (host == null || o.agentAddr() == null && host == server.addressNow() && server.state().resolutionMaint()) {
            // no address yet, or one its resolvers section no longer finds (MAINT (resolution))
            return null;
        }
        String send = o.agentSend() != null ? o.agentSend() : options.agent().send();
        List<CheckPlan.Step> steps = new ArrayList<>();
        steps.add(new CheckPlan.Connect(1, "", new InetSocketAddress(host, o.agentPort() > 0 ? o.agentPort()
                : options.agentPort()), true, true));
        int id = 1;
        if (!send.isEmpty()) {
            steps.add(new CheckPlan.Send(++id, "", ConfigBytes.bytes(send)));
        }
        steps.add(new CheckPlan.ProtocolExpect(++id, "", new CheckScript.Expect("read the agent's line",
                AgentReply::judge)));
        return new CheckPlan(steps, true, "agent-check");
    }

    ServerModel server() {
        return server;
    }

    void scheduleFirst() {
        timer.schedule(ThreadLocalRandom.current().nextLong(Math.max(1, inter())));
    }

    void close() {
        timer.close();
    }

    private void run() {
        if (!server.state().agentEnabled()) {
            // disable agent: keep the rhythm so that asking resumes on time
            timer.schedule(inter());
            return;
        }
        CheckRun.Settings settings = new CheckRun.Settings(group.next(), channelFactory, server.source(), inter(),
                connectTimeout, checkTimeout);
        // compiled for each run: set server ... addr may have moved the server, and the agent with it
        CheckPlan plan = plan(server);
        if (plan == null) {
            timer.schedule(inter());
            return;
        }
        timer.started(CheckRun.start(plan, settings,
                status -> toControl.accept(HealthChecks.guarded(server, () -> completed(status)))));
    }

    private void completed(CheckStatus status) {
        if (!timer.finished()) {
            return;
        }
        if (!status.success()) {
            control.agentReport(server, status, server.state().agentDown());
        } else {
            apply(AgentReply.parse(status.info()), status.durationMillis());
        }
        timer.schedule(inter());
    }

    /** Reports the reply, then applies it: weight, then administrative state, then up or down. */
    private void apply(AgentReply reply, long durationMillis) {
        ServerState st = server.state();
        CheckStatus shown;
        if (reply.state() == null) {
            shown = new CheckStatus("CHECKED", "No status change", "", durationMillis, true);
        } else if (reply.down()) {
            shown = new CheckStatus("L7STS", "Layer7 wrong status", reply.info(), durationMillis, false);
        } else {
            shown = new CheckStatus("L7OK", "Layer7 check passed", reply.info(), durationMillis, true);
        }
        control.agentReport(server, shown, reply.state() == null ? st.agentDown() : reply.down());
        if (reply.weightPercent() >= 0) {
            int w = reply.weight(st.initialWeight());
            if (w != st.weight()) {
                try {
                    control.setWeight(server, w);
                } catch (IllegalArgumentException refused) {
                    LOG.warn("agent of server {} asked for weight {}%: {}", server.qualifiedName(),
                            reply.weightPercent(), refused.getMessage());
                }
            }
        }
        if (reply.maxConn() >= 0 && reply.maxConn() != st.maxConn(server.options().maxConn())) {
            control.setMaxConn(server, reply.maxConn());
        }
        if (reply.admin() != null && reply.admin() != st.admin()) {
            control.setAdmin(server, reply.admin());
        }
        if (reply.state() != null) {
            if (reply.down() && (!st.agentDown() || st.operational())) {
                control.agentDown(server);
            } else if (!reply.down() && (st.agentDown() || !st.operational())) {
                control.agentUp(server);
            }
        }
    }

    private long inter() {
        return server.options().agent().inter();
    }
}
