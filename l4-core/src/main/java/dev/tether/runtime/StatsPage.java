package dev.tether.runtime;

import dev.tether.config.BindConfig;
import dev.tether.config.ConfigException;
import dev.tether.config.StatsPageConfig;
import dev.tether.model.ModelBuilder;
import dev.tether.model.RuntimeModel;
import dev.tether.transport.Transport;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.timeout.ReadTimeoutHandler;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The statistics page: what a frontend or listen section in {@code mode http} with {@code stats enable} serves
 * (docs/configuration.md, "The statistics page"). Under its {@code stats uri}: an HTML table per proxy, and with
 * {@code ;csv} after the path the rows of the runtime API's {@code show stat}, as HAProxy's page offers them to
 * monitoring scripts. Read-only; HTTP/1.x, one request per connection; {@code stats auth} asks for HTTP basic
 * authentication. Requests are small and answered on the event loop from counters the page only reads.
 */
public final class StatsPage implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StatsPage.class);
    /** A request larger than this (line and headers) is answered 413: the page takes no body. */
    static final int MAX_REQUEST = 8192;
    /** A client that sends no complete request within this is closed. */
    private static final int READ_TIMEOUT_SECONDS = 10;
    /** Connections one page holds at once; more are closed at accept (each waits at most the read timeout). */
    static final int MAX_CONNECTIONS = 64;

    private final List<Channel> channels;

    private StatsPage(List<Channel> channels) {
        this.channels = channels;
    }

    /** No page: nothing bound. */
    public static final StatsPage NONE = new StatsPage(List.of());

    /** Binds every page's addresses; fails (having closed what it bound) when one cannot be bound. */
    public static StatsPage start(List<StatsPageConfig> pages, RuntimeModel model, FrontendSockets frontends,
            String version, EventLoopGroup group, Transport transport) throws IOException, ConfigException {
        List<Channel> bound = new ArrayList<>();
        StatsPage page = new StatsPage(bound);
        try {
            for (StatsPageConfig c : pages) {
                Rows rows = new Rows(() -> ShowStat.all(model, frontends), () -> ShowStat.allRows(model, frontends));
                for (BindConfig b : c.binds()) {
                    for (InetSocketAddress address : ModelBuilder.addresses(b)) {
                        bound.add(bind(c, address, rows, version, group, transport));
                    }
                }
            }
        } catch (IOException | ConfigException | RuntimeException e) {
            page.close();
            throw e;
        }
        return page;
    }

    /** What the page shows: {@code show stat}'s CSV, and the same rows as arrays for the HTML table. */
    record Rows(Supplier<String> csv, Supplier<List<String[]>> table) {
    }

    private static Channel bind(StatsPageConfig c, InetSocketAddress address, Rows rows, String version,
            EventLoopGroup group, Transport transport) throws IOException {
        AtomicInteger open = new AtomicInteger();
        ServerBootstrap b = new ServerBootstrap()
                .group(group, group)
                .channelFactory(transport.serverChannelFactory())
                .option(ChannelOption.SO_REUSEADDR, true)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        if (open.incrementAndGet() > MAX_CONNECTIONS) {
                            open.decrementAndGet();
                            LOG.warn("statistics page '{}': {} connections open already; closing the one from {}",
                                    c.name(), MAX_CONNECTIONS, ch.remoteAddress());
                            ch.close();
                            return;
                        }
                        ch.closeFuture().addListener(f -> open.decrementAndGet());
                        ch.pipeline().addLast(new ReadTimeoutHandler(READ_TIMEOUT_SECONDS),
                                new HttpServerCodec(MAX_REQUEST, MAX_REQUEST, MAX_REQUEST),
                                new HttpObjectAggregator(MAX_REQUEST), new Handler(c, rows, version));
                    }
                });
        ChannelFuture f = b.bind(address).awaitUninterruptibly();
        if (!f.isSuccess()) {
            throw new IOException("statistics page '" + c.name() + "' (" + c.location() + ") cannot listen on "
                    + address + ": " + f.cause().getMessage(), f.cause());
        }
        LOG.info("statistics page '{}' listening on {}, path {}", c.name(), f.channel().localAddress(), c.uri());
        return f.channel();
    }

    /** Where the page's sockets listen, ports resolved. */
    public List<InetSocketAddress> addresses() {
        List<InetSocketAddress> out = new ArrayList<>();
        for (Channel ch : channels) {
            out.add((InetSocketAddress) ch.localAddress());
        }
        return out;
    }

    @Override
    public void close() {
        for (Channel ch : channels) {
            ch.close().awaitUninterruptibly();
        }
    }

    /** Answers one request, then closes the connection. */
    static final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
        private final StatsPageConfig config;
        private final Rows rows;
        private final String version;

        Handler(StatsPageConfig config, Rows rows, String version) {
            this.config = config;
            this.rows = rows;
            this.version = version;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
            if (!req.decoderResult().isSuccess()) {
                boolean tooLong = req.decoderResult().cause() instanceof io.netty.handler.codec.TooLongFrameException;
                LOG.warn("statistics page '{}': {} from {}; answered {} and closed", config.name(),
                        tooLong ? "a request over " + MAX_REQUEST + " bytes" : "a request that is not HTTP",
                        ctx.channel().remoteAddress(), tooLong ? 431 : 400);
                reply(ctx, tooLong ? HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE
                        : HttpResponseStatus.BAD_REQUEST, "text/plain", "Bad request.\n", false);
                return;
            }
            boolean head = req.method().equals(HttpMethod.HEAD);
            if (!head && !req.method().equals(HttpMethod.GET)) {
                reply(ctx, HttpResponseStatus.METHOD_NOT_ALLOWED, "text/plain",
                        "The statistics page is read-only: GET or HEAD.\n", head);
                return;
            }
            String target = req.uri();
            if (!target.startsWith(config.uri())) {
                reply(ctx, HttpResponseStatus.NOT_FOUND, "text/plain",
                        "Not found: the statistics page is under " + config.uri() + "\n", head);
                return;
            }
            if (!authorized(req.headers().get(HttpHeaderNames.AUTHORIZATION))) {
                FullHttpResponse r = response(HttpResponseStatus.UNAUTHORIZED, "text/plain",
                        "Authentication required.\n", head);
                r.headers().set(HttpHeaderNames.WWW_AUTHENTICATE,
                        "Basic realm=\"" + config.realm().replace("\"", "") + "\"");
                send(ctx, r);
                return;
            }
            String options = target.substring(config.uri().length());
            if (options.contains(";csv")) {
                reply(ctx, HttpResponseStatus.OK, "text/plain", rows.csv().get(), head);
            } else {
                reply(ctx, HttpResponseStatus.OK, "text/html; charset=utf-8",
                        html(rows.table().get(), config, version, options.contains(";norefresh")), head);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (cause instanceof io.netty.handler.timeout.ReadTimeoutException) {
                LOG.info("statistics page '{}': {} sent no whole request in {} s; closing", config.name(),
                        ctx.channel().remoteAddress(), READ_TIMEOUT_SECONDS);
            } else if (cause instanceof IOException) {
                LOG.debug("statistics page '{}': connection from {} failed: {}", config.name(),
                        ctx.channel().remoteAddress(), cause.toString());
            } else {
                LOG.warn("statistics page: closing the connection from {}: {}", ctx.channel().remoteAddress(),
                        cause.toString());
            }
            ctx.close();
        }

        /** With {@code stats auth} lines, the request must carry one of their user:password pairs. */
        boolean authorized(String header) {
            if (config.credentials().isEmpty()) {
                return true;
            }
            if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
                return false;
            }
            byte[] given;
            try {
                given = Base64.getDecoder().decode(header.substring(6).trim());
            } catch (IllegalArgumentException e) {
                return false;
            }
            boolean match = false;
            for (String c : config.credentials()) {
                // compared in constant time, every pair tried
                match |= MessageDigest.isEqual(given, c.getBytes(StandardCharsets.UTF_8));
            }
            return match;
        }

        private static void reply(ChannelHandlerContext ctx, HttpResponseStatus status, String type, String body,
                boolean head) {
            send(ctx, response(status, type, body, head));
        }

        private static FullHttpResponse response(HttpResponseStatus status, String type, String body, boolean head) {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            ByteBuf content = head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(bytes);
            FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, content);
            r.headers().set(HttpHeaderNames.CONTENT_TYPE, type)
                    .setInt(HttpHeaderNames.CONTENT_LENGTH, bytes.length)
                    .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_CACHE)
                    .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            return r;
        }

        private static void send(ChannelHandlerContext ctx, FullHttpResponse r) {
            ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
        }
    }

    // ---- the HTML page ----------------------------------------------------------------------------------------

    /** The columns the HTML page shows, with their headings. */
    private static final Map<StatField, String> COLUMNS = new LinkedHashMap<>();

    static {
        COLUMNS.put(StatField.SVNAME, "");
        COLUMNS.put(StatField.STATUS, "Status");
        COLUMNS.put(StatField.WEIGHT, "Weight");
        COLUMNS.put(StatField.QCUR, "Queue");
        COLUMNS.put(StatField.SCUR, "Sessions");
        COLUMNS.put(StatField.SMAX, "Max");
        COLUMNS.put(StatField.SLIM, "Limit");
        COLUMNS.put(StatField.STOT, "Total");
        COLUMNS.put(StatField.BIN, "Bytes in");
        COLUMNS.put(StatField.BOUT, "Bytes out");
        COLUMNS.put(StatField.ECON, "Conn. errors");
        COLUMNS.put(StatField.WRETR, "Retries");
        COLUMNS.put(StatField.WREDIS, "Redispatches");
        COLUMNS.put(StatField.CHECK_STATUS, "Check");
        COLUMNS.put(StatField.LASTCHG, "Last change (s)");
        COLUMNS.put(StatField.ADDR, "Address");
    }

    /** A table per proxy of {@code show stat}'s rows (each indexed by {@link StatField#ordinal()}). */
    static String html(List<String[]> rows, StatsPageConfig config, String version, boolean noRefresh) {
        StringBuilder out = new StringBuilder("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">");
        if (config.refreshSeconds() > 0 && !noRefresh) {
            out.append("<meta http-equiv=\"refresh\" content=\"").append(config.refreshSeconds()).append("\">");
        }
        out.append("<title>Statistics</title><style>body{font-family:sans-serif;font-size:13px}"
                + "table{border-collapse:collapse;margin-bottom:1.5em}td,th{border:1px solid #999;padding:2px 6px;"
                + "text-align:right}td:first-child,th:first-child{text-align:left}"
                + ".UP{background:#c0f0c0}.DOWN{background:#f0c0c0}.MAINT{background:#c0c0f0}"
                + ".DRAIN{background:#f0e0a0}</style></head><body>\n<h1>Tether statistics</h1>\n<p>");
        if (!config.hideVersion()) {
            out.append("Version ").append(escape(version)).append(", ");
        }
        out.append("pid ").append(ProcessHandle.current().pid()).append(". CSV: <a href=\"")
                .append(escape(config.uri())).append(";csv\">").append(escape(config.uri())).append(";csv</a></p>\n");
        String proxy = null;
        for (String[] r : rows) {
            String px = r[StatField.PXNAME.ordinal()];
            if (!px.equals(proxy)) {
                if (proxy != null) {
                    out.append("</table>\n");
                }
                proxy = px;
                out.append("<h2>").append(escape(px)).append("</h2>\n<table><tr>");
                for (String heading : COLUMNS.values()) {
                    out.append("<th>").append(escape(heading)).append("</th>");
                }
                out.append("</tr>\n");
            }
            String status = r[StatField.STATUS.ordinal()];
            String css = status.isEmpty() ? "" : status.split("[ (]")[0];
            out.append("<tr class=\"").append(escape(css)).append("\">");
            for (StatField column : COLUMNS.keySet()) {
                out.append("<td>").append(escape(r[column.ordinal()])).append("</td>");
            }
            out.append("</tr>\n");
        }
        if (proxy != null) {
            out.append("</table>\n");
        }
        return out.append("</body></html>\n").toString();
    }

    static String escape(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
