package dev.tether.protocols.db;

import dev.tether.protocols.ServerText;
import dev.tether.spi.CheckKeyword;
import dev.tether.spi.CheckScript;
import dev.tether.spi.CheckScript.Result;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * {@code option redis-check}: HAProxy's Redis check (src/tcpcheck.c). It sends PING as a RESP array,
 * {@code *1\r\n$4\r\nPING\r\n}, and passes when the first reply line is the simple string {@code +PONG}. An error
 * reply ({@code -NOAUTH Authentication required.} from a server with {@code requirepass}, {@code -LOADING ...}
 * while it loads its data set) fails with the reply as the reason, as HAProxy's does.
 */
final class RedisCheck {

    static final CheckKeyword KEYWORD = new CheckKeyword("redis-check",
            "Redis check: sends PING, expects +PONG: option redis-check", RedisCheck::create);

    static final byte[] PING = "*1\r\n$4\r\nPING\r\n".getBytes(StandardCharsets.US_ASCII);

    private RedisCheck() {
    }

    static CheckScript create(List<String> args) {
        if (!args.isEmpty()) {
            throw new IllegalArgumentException("takes no arguments (got '" + args.get(0) + "')");
        }
        return CheckScript.of(CheckScript.send(PING), CheckScript.expect("expect +PONG", RedisCheck::judge));
    }

    /** The first line of the reply, up to CRLF (RESP: every reply type starts with one line). */
    static Result judge(ByteBuf in, boolean ended) {
        int start = in.readerIndex();
        int end = in.writerIndex();
        if (start == end) {
            return Result.WAIT;
        }
        int first = in.getByte(start);
        if (first != '+' && first != '-' && first != ':' && first != '$' && first != '*') {
            return Result.fail("not a Redis reply: " + ServerText.preview(in, start, end));
        }
        int cr = ServerText.indexOf(in, start, end, (byte) '\r');
        if (cr < 0 || cr + 1 >= end) {
            return ended ? Result.fail("Redis closed in the middle of its reply: " + ServerText.preview(in, start, end))
                    : Result.WAIT;
        }
        if (in.getByte(cr + 1) != '\n') {
            return Result.fail("not a Redis reply: " + ServerText.preview(in, start, end));
        }
        String line = ServerText.text(in, start, cr);
        if (line.equals("+PONG")) {
            return Result.PASS;
        }
        return first == '-' ? Result.wrongStatus("Redis replied " + line)
                : Result.fail("Redis replied " + line + ", not +PONG");
    }
}
