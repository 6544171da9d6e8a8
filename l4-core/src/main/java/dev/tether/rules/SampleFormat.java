package dev.tether.rules;

import dev.tether.spi.Fetch;

import dev.tether.spi.SessionView;
import io.netty.util.NetUtil;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A log-format style string as HAProxy's {@code set-proxy-v2-tlv-fmt} takes it: literal text with
 * {@code %[<sample expression>]} parts replaced by their samples. Compiled once at load; rendering runs on the
 * session's event loop. A part without a sample renders as nothing.
 */
public final class SampleFormat {

    private final List<Object> parts;

    private SampleFormat(List<Object> parts) {
        this.parts = List.copyOf(parts);
    }

    /** @throws IllegalArgumentException with a readable reason for an unclosed {@code %[} or a bad expression */
    public static SampleFormat compile(String format, SampleRegistry registry) {
        List<Object> parts = new ArrayList<>();
        int i = 0;
        StringBuilder literal = new StringBuilder();
        while (i < format.length()) {
            int open = format.indexOf("%[", i);
            if (open < 0) {
                literal.append(format, i, format.length());
                break;
            }
            literal.append(format, i, open);
            int close = format.indexOf(']', open + 2);
            if (close < 0) {
                throw new IllegalArgumentException("'%[' without ']' in '" + format + "'");
            }
            if (literal.length() > 0) {
                parts.add(literal.toString());
                literal.setLength(0);
            }
            parts.add(SampleExpression.compile(format.substring(open + 2, close), registry));
            i = close + 1;
        }
        if (literal.length() > 0) {
            parts.add(literal.toString());
        }
        return new SampleFormat(parts);
    }

    /** The text this format always renders to when it has no sample part; null when it has one. */
    public String literal() {
        StringBuilder sb = new StringBuilder();
        for (Object p : parts) {
            if (!(p instanceof String)) {
                return null;
            }
            sb.append((String) p);
        }
        return sb.toString();
    }

    /** The rendered bytes: text as UTF-8, binary samples as they are, addresses and numbers as text. */
    public byte[] render(SessionView session) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object p : parts) {
            if (p instanceof String) {
                out.writeBytes(((String) p).getBytes(StandardCharsets.UTF_8));
                continue;
            }
            Object sample = ((SampleExpression) p).evaluate(session);
            if (sample == null || sample == Fetch.NEED_MORE_DATA) {
                continue;
            }
            if (sample instanceof byte[]) {
                out.writeBytes((byte[]) sample);
            } else {
                out.writeBytes(text(sample).getBytes(StandardCharsets.UTF_8));
            }
        }
        return out.toByteArray();
    }

    /**
     * A sample as text, as HAProxy casts it to a string: an address in its usual notation, a boolean as 1 or 0,
     * bytes as they are (read as UTF-8), a number in decimal; null for no sample.
     */
    public static String text(Object sample) {
        if (sample == null || sample == Fetch.NEED_MORE_DATA) {
            return null;
        }
        if (sample instanceof byte[]) {
            return new String((byte[]) sample, StandardCharsets.UTF_8);
        }
        if (sample instanceof InetAddress) {
            // as inet_ntop writes it: IPv6 compressed, an IPv4-mapped one with its IPv4 part dotted
            return NetUtil.toAddressString((InetAddress) sample, true);
        }
        if (sample instanceof Boolean) {
            return ((Boolean) sample) ? "1" : "0";
        }
        return String.valueOf(sample);
    }
}
