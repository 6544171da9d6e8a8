package dev.tether.check;

import dev.tether.spi.CheckScript;
import dev.tether.model.CheckStatus;
import dev.tether.proxyproto.ProxyHeaderEncoder;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.BindException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One execution of a server's {@link CheckPlan}: connects, sends, and matches what comes back, then reports one
 * {@link CheckStatus} and closes its connection (with a reset unless the connect rule asked {@code linger}).
 *
 * <p>Threading: everything after {@link #start} runs on the one event loop given, including the handlers of every
 * connection the run opens; the run never blocks it. {@link #cancel} may be called from any thread.
 *
 * <pre>
 *   start ──► Connect ──connected──► Send ──written──► Expect ──PASS──► (next step) ... ──► done: L4OK | L7OK
 *                │                                       │  └─WAIT: until data, peer close, full buffer, timeout
 *                ├─refused/error──► L4CON                ├─FAIL──► L7RSP
 *                └─timeout────────► L4TOUT               └─timeout─► L7TOUT
 * </pre>
 *
 * Timeouts (reference §5): with {@code timeout check}, a connect may take min(timeout connect, inter) and what
 * follows it {@code timeout check}; without, {@code inter} bounds the whole run.
 */
final class CheckRun implements RunningCheck {

    /** HAProxy's tune.bufsize: what an expect rule may see of a response. */
    static final int MAX_RESPONSE = 16384;

    /** Everything a run needs besides its plan. Times in ms; {@code connectTimeout} 0 = not set. */
    record Settings(EventLoop loop, ChannelFactory<? extends SocketChannel> channelFactory, InetSocketAddress source,
            long inter, long connectTimeout, long checkTimeout, boolean sendProxyLocal) {

        /** Settings without {@code check-send-proxy}. */
        Settings(EventLoop loop, ChannelFactory<? extends SocketChannel> channelFactory, InetSocketAddress source,
                long inter, long connectTimeout, long checkTimeout) {
            this(loop, channelFactory, source, inter, connectTimeout, checkTimeout, false);
        }
    }

    private final CheckPlan plan;
    private final Settings settings;
    private final Consumer<CheckStatus> done;
    private final byte[] received = new byte[MAX_RESPONSE];
    private final long startNanos = System.nanoTime();

    private int length;
    private int stepIndex;
    /** The status code of the last answer a protocol expect passed with (an HTTP status); 0 when none. */
    private int answeredCode;
    /** The info of the last pass that reported one (an agent's line); "" when none. */
    private String answeredInfo = "";
    /** A protocol expect passed conditionally: the run ends L7OKC, not L7OK. */
    private boolean conditional;
    private Channel channel;
    private boolean connecting;
    private boolean waitingForData;
    private boolean peerClosed;
    private boolean finished;
    private ScheduledFuture<?> deadline;

    private CheckRun(CheckPlan plan, Settings settings, Consumer<CheckStatus> done) {
        this.plan = plan;
        this.settings = settings;
        this.done = done;
    }

    /**
     * Starts a run; {@code done} is called exactly once on the run's event loop, unless the run is cancelled or
     * the loop is shutting down.
     */
    static CheckRun start(CheckPlan plan, Settings settings, Consumer<CheckStatus> done) {
        CheckRun run = new CheckRun(plan, settings, done);
        settings.loop().execute(run::advance);
        return run;
    }

    /** Stops the run without reporting and closes its connection. */
    @Override
    public void cancel() {
        try {
            settings.loop().execute(() -> {
                if (!finished) {
                    finished = true;
                    cleanUp();
                }
            });
        } catch (RejectedExecutionException loopGone) {
            // The loop is shutting down and closes its channels itself.
        }
    }

    // ---- the step machine (event loop) ---------------------------------------------------------------------

    private void advance() {
        waitingForData = false;
        while (!finished && stepIndex < plan.steps().size()) {
            CheckPlan.Step step = plan.steps().get(stepIndex);
            if (step instanceof CheckPlan.Connect c) {
                connect(c);
                return;
            }
            if (channel == null) {
                finish(status("SOCKERR", "Socket error", "no connection at step " + step.id() + " of " + plan.ruleset(),
                        false));
                return;
            }
            if (step instanceof CheckPlan.Send s) {
                send(s);
                return;
            }
            boolean lastRead = peerClosed || length == received.length;
            if (step instanceof CheckPlan.ProtocolExpect pe) {
                CheckScript.Result r = pe.expect().check().check(Unpooled.wrappedBuffer(received, 0, length), lastRead);
                if (r == CheckScript.Result.WAIT && !lastRead) {
                    waitingForData = true;
                    return;
                }
                if (!r.passed()) {
                    String info = r.failed() ? r.reason() : (length == 0 ? "empty response" : "incomplete response")
                            + " at step " + pe.id() + " of " + plan.ruleset() + " (" + pe.expect().description() + ")";
                    finish(r.isWrongStatus() ? status("L7STS", "Layer7 wrong status", info, false, r.code())
                            : status("L7RSP", "Layer7 invalid response", info, false));
                    return;
                }
                if (r.code() > 0) {
                    answeredCode = r.code();
                }
                if (r.info() != null) {
                    answeredInfo = r.info();
                }
                conditional |= r.conditional();
                stepIndex++;
                continue;
            }
            CheckPlan.Expect e = (CheckPlan.Expect) step;
            Expectation.Verdict v = e.expectation().evaluate(received, length, lastRead);
            if (v == Expectation.Verdict.WAIT) {
                waitingForData = true;
                return;
            }
            if (v == Expectation.Verdict.FAIL) {
                String info = e.comment().isEmpty() ? e.expectation().failure(e.id(), length) : e.comment();
                finish(status("L7RSP", "Layer7 invalid response", info, false));
                return;
            }
            stepIndex++;
        }
        if (!finished) {
            finish(conditional ? status("L7OKC", "Layer7 check conditionally passed", answeredInfo, true, answeredCode)
                    : plan.layer7() ? status("L7OK", "Layer7 check passed", answeredInfo, true, answeredCode)
                    : status("L4OK", "Layer4 check passed", "", true));
        }
    }

    private void connect(CheckPlan.Connect step) {
        closeChannel();
        length = 0;
        peerClosed = false;
        long connectTimeout;
        if (settings.checkTimeout() > 0) {
            long c = settings.connectTimeout() > 0 ? settings.connectTimeout() : settings.inter();
            connectTimeout = Math.min(c, settings.inter());
        } else {
            connectTimeout = Math.max(1, settings.inter() - elapsedMillis());
        }
        Bootstrap b = new Bootstrap()
                .group(settings.loop())
                .channelFactory(settings.channelFactory())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, connectTimeout))
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new Inbound());
        if (!step.linger()) {
            // A reset rather than a FIN: the checked server keeps no TIME_WAIT for every check (CFG tcp-check
            // connect linger).
            b.option(ChannelOption.SO_LINGER, 0);
        }
        connecting = true;
        ChannelFuture f = settings.source() == null ? b.connect(step.target())
                : b.connect(step.target(), settings.source());
        channel = f.channel();
        Channel mine = channel;
        f.addListener(result -> {
            if (mine != channel || finished) {
                return;
            }
            connecting = false;
            if (!result.isSuccess()) {
                finish(connectFailure(step, result.cause()));
                return;
            }
            long readBudget = settings.checkTimeout() > 0 ? settings.checkTimeout()
                    : Math.max(1, settings.inter() - elapsedMillis());
            armDeadline(readBudget);
            if (settings.sendProxyLocal()) {
                // check-send-proxy: a v2 LOCAL header says "the proxy itself, no client", so a server that
                // requires the header accepts the check without logging a broken header (PROXY protocol §2.2).
                mine.writeAndFlush(ProxyHeaderEncoder.v2Local(mine.alloc()), mine.voidPromise());
            }
            stepIndex++;
            advance();
        });
    }

    private void send(CheckPlan.Send step) {
        // A new request: what an expect after it looks at is the answer to it.
        length = 0;
        Channel mine = channel;
        mine.writeAndFlush(Unpooled.wrappedBuffer(step.data())).addListener(result -> {
            if (mine != channel || finished) {
                return;
            }
            if (!result.isSuccess()) {
                finish(status("L4CON", "Layer4 connection problem", errorText(result.cause()) + " at step "
                        + step.id() + " of " + plan.ruleset() + " (send)", false));
                return;
            }
            stepIndex++;
            advance();
        });
    }

    private void armDeadline(long millis) {
        if (deadline != null) {
            deadline.cancel(false);
        }
        deadline = settings.loop().schedule(this::timedOut, millis, TimeUnit.MILLISECONDS);
    }

    private void timedOut() {
        if (finished) {
            return;
        }
        CheckPlan.Step step = plan.steps().get(Math.min(stepIndex, plan.steps().size() - 1));
        if (connecting && step instanceof CheckPlan.Connect c) {
            finish(connectFailure(c, new ConnectTimeoutException("check deadline")));
            return;
        }
        String info = "";
        if (step instanceof CheckPlan.Expect e) {
            info = "at step " + e.id() + " of tcp-check (" + e.expectation().describe() + ")";
        } else if (step instanceof CheckPlan.ProtocolExpect pe) {
            info = "at step " + pe.id() + " of " + plan.ruleset() + " (" + pe.expect().description() + ")";
        } else if (plan.layer7()) {
            info = "at step " + step.id() + " of " + plan.ruleset();
        }
        finish(status("L7TOUT", "Layer7 timeout", info, false));
    }

    private CheckStatus connectFailure(CheckPlan.Connect step, Throwable cause) {
        String where = step.implicit() && !plan.layer7() ? ""
                : " at step " + Math.max(1, step.id()) + " of " + plan.ruleset() + " (connect)";
        if (cause instanceof ConnectTimeoutException) {
            return status("L4TOUT", "Layer4 timeout", where.isEmpty() ? "" : where.substring(1), false);
        }
        if (cause instanceof BindException) {
            return status("SOCKERR", "Socket error", errorText(cause) + where, false);
        }
        return status("L4CON", "Layer4 connection problem", errorText(cause) + where, false);
    }

    private void finish(CheckStatus status) {
        if (finished) {
            return;
        }
        finished = true;
        cleanUp();
        done.accept(status);
    }

    private void cleanUp() {
        if (deadline != null) {
            deadline.cancel(false);
            deadline = null;
        }
        closeChannel();
    }

    private void closeChannel() {
        if (channel != null) {
            channel.close();
            channel = null;
        }
        connecting = false;
    }

    private CheckStatus status(String code, String description, String info, boolean success) {
        return status(code, description, info, success, 0);
    }

    private CheckStatus status(String code, String description, String info, boolean success, int checkCode) {
        return new CheckStatus(code, description, info, elapsedMillis(), success, checkCode);
    }

    private long elapsedMillis() {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }

    /** The system's wording for a socket error, as HAProxy reports strerror(): "Connection refused". */
    static String errorText(Throwable cause) {
        String m = cause.getMessage();
        if (m == null) {
            return cause.getClass().getSimpleName();
        }
        String[] known = {"Connection refused", "No route to host", "Network is unreachable",
            "Connection reset by peer", "Connection timed out", "Cannot assign requested address",
            "Address already in use", "Broken pipe"};
        for (String k : known) {
            if (m.contains(k)) {
                return k;
            }
        }
        return cause instanceof ConnectException ? "Connection problem: " + m : m;
    }

    /** Receives for the current connection; events of a connection the run has moved past are ignored. */
    private final class Inbound extends ChannelInboundHandlerAdapter {

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf in = (ByteBuf) msg;
            try {
                if (ctx.channel() != channel || finished) {
                    return;
                }
                int n = Math.min(in.readableBytes(), received.length - length);
                in.readBytes(received, length, n);
                length += n;
            } finally {
                in.release();
            }
            if (waitingForData) {
                advance();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (ctx.channel() != channel || finished || connecting) {
                return;
            }
            peerClosed = true;
            if (waitingForData) {
                advance();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (ctx.channel() != channel || finished || connecting) {
                return;
            }
            CheckPlan.Step step = plan.steps().get(Math.min(stepIndex, plan.steps().size() - 1));
            finish(status("L4CON", "Layer4 connection problem", errorText(cause) + " at step " + step.id()
                    + " of " + plan.ruleset(), false));
        }
    }
}
