package dev.tether.check;

import dev.tether.config.HttpCheckConfig;
import dev.tether.config.HttpCheckConfig.Expect;
import dev.tether.config.HttpCheckConfig.Header;
import dev.tether.config.HttpCheckConfig.Request;
import dev.tether.config.StatusCodes;
import dev.tether.spi.CheckScript;
import dev.tether.spi.CheckScript.Result;
import dev.tether.spi.ConfigBytes;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * {@code option httpchk} compiled to a {@link CheckScript}: one request, then the {@code http-check expect} rules
 * in order, each judging the one response (CFG §4.2). The request is written as HAProxy 2.6 writes it: the request
 * line, the headers with their names in lower case, {@code content-length} when there is a body, and
 * {@code connection: close} for HTTP/1.1 unless a connection header was given (HAProxy then sends none). The
 * request's text and the strings and patterns expected become bytes by {@link ConfigBytes}'s rule.
 *
 * <p>Without an expect rule, a 2xx or 3xx status passes. A status rule that fails reports {@code L7STS} with the
 * code and the reason phrase; a body rule that fails reports {@code L7RSP} "HTTP content check did not match" (or,
 * negated, "HTTP check matched unwanted content"); a pass reports {@code L7OK} with the code: HAProxy's wording in
 * every case. A response that is not HTTP fails as an invalid response.
 */
final class HttpCheck {

    /** The ruleset name reports give: {@code at step 2 of httpchk}. */
    static final String RULESET = "httpchk";

    private static final String DEFAULT_STATUS = "200-399";
    private static final int PREVIEW = 60;
    private static final Pattern STATUS_LINE = Pattern.compile("HTTP/\\d\\.\\d \\d{3}( .*)?");

    private HttpCheck() {
    }

    /** The script of an enabled HTTP check. */
    static CheckScript script(HttpCheckConfig c) {
        if (!c.enabled()) {
            throw new IllegalArgumentException("option httpchk is not in effect");
        }
        Request request = c.request();
        List<Expect> expects = new ArrayList<>();
        String lastComment = "";
        List<String> comments = new ArrayList<>();
        for (HttpCheckConfig.Rule r : c.rules()) {
            if (r instanceof HttpCheckConfig.Send s) {
                request = merge(request, s.request());
            } else if (r instanceof HttpCheckConfig.Expect e) {
                expects.add(e);
                comments.add(e.comment().isEmpty() ? lastComment : e.comment());
            } else if (r instanceof HttpCheckConfig.Comment k) {
                lastComment = k.comment();
            }
        }
        boolean head = request.method().equalsIgnoreCase("HEAD");
        boolean on404 = c.rules().stream().anyMatch(r -> r instanceof HttpCheckConfig.DisableOn404);
        List<CheckScript.Step> steps = new ArrayList<>();
        steps.add(CheckScript.send(bytes(request)));
        if (expects.isEmpty()) {
            StatusCodes codes = StatusCodes.parse(DEFAULT_STATUS);
            steps.add(CheckScript.expect("expect status " + DEFAULT_STATUS,
                    (in, ended) -> judge(in, ended, head, on404, false, -1,
                            response -> codes.contains(response.status), true, "")));
        }
        for (int i = 0; i < expects.size(); i++) {
            steps.add(expectStep(expects.get(i), comments.get(i), head, on404));
        }
        return new CheckScript(steps);
    }

    /** {@code http-check send} fills in and adds to what {@code option httpchk} gave. */
    static Request merge(Request option, Request send) {
        List<Header> headers = new ArrayList<>(option.headers());
        headers.addAll(send.headers());
        return new Request(send.method() != null ? send.method() : option.method(),
                send.uri() != null ? send.uri() : option.uri(),
                send.version() != null ? send.version() : option.version(), headers,
                send.body().isEmpty() ? option.body() : send.body());
    }

    /** The request's bytes, as HAProxy 2.6 sends them. */
    static byte[] bytes(Request r) {
        StringBuilder b = new StringBuilder(128);
        b.append(r.method()).append(' ').append(r.uri()).append(' ').append(r.version()).append("\r\n");
        boolean connection = false;
        byte[] body = ConfigBytes.bytes(r.body());
        for (Header h : r.headers()) {
            String name = h.name().toLowerCase(Locale.ROOT);
            if (name.equals("connection")) {
                connection = true;
                continue;
            }
            if (name.equals("content-length") && body.length > 0) {
                continue;
            }
            b.append(name).append(": ").append(h.value()).append("\r\n");
        }
        if (body.length > 0) {
            b.append("content-length: ").append(body.length).append("\r\n");
        }
        if (!connection && r.version().equalsIgnoreCase("HTTP/1.1")) {
            b.append("connection: close\r\n");
        }
        b.append("\r\n");
        byte[] head = ConfigBytes.bytes(b.toString());
        byte[] out = new byte[head.length + body.length];
        System.arraycopy(head, 0, out, 0, head.length);
        System.arraycopy(body, 0, out, head.length, body.length);
        return out;
    }

    private static CheckScript.Step expectStep(Expect e, String comment, boolean head, boolean on404) {
        String description = "expect " + (e.negate() ? "! " : "") + e.match().name().toLowerCase(Locale.ROOT) + " "
                + e.pattern();
        Predicate<Response> test;
        switch (e.match()) {
            case STATUS:
                StatusCodes codes = StatusCodes.parse(e.pattern());
                test = response -> codes.contains(response.status);
                break;
            case RSTATUS:
                Pattern status = Pattern.compile(e.pattern());
                test = response -> status.matcher(Integer.toString(response.status)).find();
                break;
            case STRING:
                String needle = ConfigBytes.latin1(e.pattern());
                test = response -> response.body.contains(needle);
                break;
            default:
                Pattern body = Pattern.compile(ConfigBytes.latin1(e.pattern()));
                test = response -> body.matcher(response.body).find();
        }
        boolean onStatus = !e.match().readsBody();
        return CheckScript.expect(description, (in, ended) -> judge(in, ended, head, on404, e.negate(), e.minRecv(),
                test, onStatus, comment));
    }

    /** @param on404 {@code http-check disable-on-404}: a 404 is a conditional pass, whatever the rule looks at */
    private static Result judge(ByteBuf in, boolean ended, boolean head, boolean on404, boolean negate, int minRecv,
            Predicate<Response> test, boolean onStatus, String comment) {
        if (!ended && minRecv > 0 && in.readableBytes() < minRecv) {
            return Result.WAIT;
        }
        Response r = Response.parse(in, ended, !onStatus && !head);
        if (r == null) {
            return Result.WAIT;
        }
        if (r.problem != null) {
            return Result.fail(comment.isEmpty() ? r.problem : comment);
        }
        if (on404 && r.status == 404) {
            return Result.conditionalPass(404);
        }
        if (test.test(r) != negate) {
            return Result.pass(r.status);
        }
        if (onStatus) {
            return Result.wrongStatus(comment.isEmpty() ? r.reason : comment, r.status);
        }
        return Result.fail(!comment.isEmpty() ? comment
                : negate ? "HTTP check matched unwanted content" : "HTTP content check did not match");
    }

    /**
     * An HTTP response as far as a check needs it: the status, the reason phrase and, when asked, the body (read as
     * ISO-8859-1, one char per byte, so patterns see the bytes). Parsing is lenient where HTTP/1 parsers are: bare
     * LF line ends are accepted.
     */
    static final class Response {
        final int status;
        final String reason;
        final String body;
        /** Why the bytes are not an HTTP response; null when they are. */
        final String problem;

        private Response(int status, String reason, String body, String problem) {
            this.status = status;
            this.reason = reason;
            this.body = body;
            this.problem = problem;
        }

        private static Response invalid(String why, ByteBuf in) {
            return new Response(0, "", "", why + ": " + preview(in));
        }

        /**
         * @param withBody whether to wait for the whole body (Content-Length, chunked, or until the server closes)
         * @return null to wait for more bytes
         */
        static Response parse(ByteBuf in, boolean ended, boolean withBody) {
            int start = in.readerIndex();
            int end = in.writerIndex();
            int lineEnd = indexOf(in, start, end, (byte) '\n');
            if (lineEnd < 0) {
                if (!ended) {
                    return end - start < 5 || startsWithHttp(in, start, end) ? null : invalid("not an HTTP response", in);
                }
                return invalid(start == end ? "empty response" : "not an HTTP response", in);
            }
            String statusLine = text(in, start, trimCr(in, start, lineEnd));
            if (!STATUS_LINE.matcher(statusLine).matches()) {
                return invalid("not an HTTP status line", in);
            }
            int status = Integer.parseInt(statusLine.substring(9, 12));
            String reason = statusLine.length() > 13 ? statusLine.substring(13) : "";
            long contentLength = -1;
            boolean chunked = false;
            int pos = lineEnd + 1;
            while (true) {
                int nl = indexOf(in, pos, end, (byte) '\n');
                if (nl < 0) {
                    return ended ? invalid("the headers did not end", in) : null;
                }
                int lineStop = trimCr(in, pos, nl);
                if (lineStop == pos) {
                    pos = nl + 1;
                    break;
                }
                String line = text(in, pos, lineStop);
                int colon = line.indexOf(':');
                if (colon <= 0) {
                    return invalid("a header line without a colon", in);
                }
                String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                String value = line.substring(colon + 1).trim();
                if (name.equals("content-length")) {
                    try {
                        contentLength = Long.parseLong(value);
                    } catch (NumberFormatException e) {
                        contentLength = -1;
                    }
                    if (contentLength < 0) {
                        return invalid("a Content-Length that is not a number", in);
                    }
                } else if (name.equals("transfer-encoding")) {
                    chunked = value.toLowerCase(Locale.ROOT).endsWith("chunked");
                }
                pos = nl + 1;
            }
            boolean noBody = status < 200 || status == 204 || status == 304;
            if (!withBody || noBody) {
                return new Response(status, reason, "", null);
            }
            if (chunked) {
                String body = dechunk(in, pos, end, ended);
                return body == null ? null : new Response(status, reason, body, null);
            }
            if (contentLength >= 0) {
                if (end - pos < contentLength && !ended) {
                    return null;
                }
                int bodyEnd = contentLength >= end - pos ? end : pos + (int) contentLength;
                return new Response(status, reason, text(in, pos, bodyEnd), null);
            }
            return ended ? new Response(status, reason, text(in, pos, end), null) : null;
        }

        /** The chunks' data, or null to wait; what arrived counts once nothing more will. */
        private static String dechunk(ByteBuf in, int pos, int end, boolean ended) {
            StringBuilder out = new StringBuilder();
            while (true) {
                int nl = indexOf(in, pos, end, (byte) '\n');
                if (nl < 0) {
                    return ended ? out.toString() : null;
                }
                String sizeLine = text(in, pos, trimCr(in, pos, nl));
                int semi = sizeLine.indexOf(';');
                long size;
                try {
                    size = Long.parseLong((semi < 0 ? sizeLine : sizeLine.substring(0, semi)).trim(), 16);
                } catch (NumberFormatException e) {
                    return out.toString();
                }
                if (size == 0) {
                    return out.toString();
                }
                int dataStart = nl + 1;
                if (end - dataStart < size) {
                    if (!ended) {
                        return null;
                    }
                    return out.append(text(in, dataStart, end)).toString();
                }
                out.append(text(in, dataStart, (int) (dataStart + size)));
                pos = (int) (dataStart + size);
                int next = indexOf(in, pos, end, (byte) '\n');
                if (next < 0) {
                    return ended ? out.toString() : null;
                }
                pos = next + 1;
            }
        }

        private static boolean startsWithHttp(ByteBuf in, int start, int end) {
            String seen = text(in, start, Math.min(end, start + 5));
            return "HTTP/".startsWith(seen) || seen.equals("HTTP/");
        }

        private static int indexOf(ByteBuf in, int from, int to, byte b) {
            return from >= to ? -1 : in.indexOf(from, to, b);
        }

        private static int trimCr(ByteBuf in, int from, int lf) {
            return lf > from && in.getByte(lf - 1) == '\r' ? lf - 1 : lf;
        }

        private static String text(ByteBuf in, int from, int to) {
            return in.toString(from, to - from, StandardCharsets.ISO_8859_1);
        }

        private static String preview(ByteBuf in) {
            int n = Math.min(in.readableBytes(), PREVIEW);
            String s = text(in, in.readerIndex(), in.readerIndex() + n);
            return s + (in.readableBytes() > n ? "..." : "");
        }
    }
}
