package dev.tether.protocols.db;

import dev.tether.spi.CheckScript;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Runs a response check on bytes as the core hands them over: a pooled buffer, released after the call. */
final class Answers {

    private Answers() {
    }

    static CheckScript.Result judge(CheckScript.ResponseCheck check, byte[] received, boolean ended) {
        // a few bytes before the reader index: a check must read from the reader index, not from 0
        ByteBuf buf = PooledByteBufAllocator.DEFAULT.buffer(received.length + 3);
        try {
            buf.writeBytes(new byte[] {'x', 'y', 'z'});
            buf.readerIndex(3);
            buf.writeBytes(received);
            int reader = buf.readerIndex();
            int writer = buf.writerIndex();
            CheckScript.Result r = check.check(buf, ended);
            if (buf.readerIndex() != reader || buf.writerIndex() != writer) {
                throw new AssertionError("the check consumed or added bytes");
            }
            return r;
        } finally {
            buf.release();
        }
    }

    static CheckScript.Result judgeHex(CheckScript.ResponseCheck check, String hex, boolean ended) {
        return judge(check, hex(hex), ended);
    }

    static byte[] hex(String hex) {
        return ByteBufUtil.decodeHexDump(hex.replace(" ", "").replace("\n", ""));
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    /** Every proper prefix of {@code whole}, the empty one included: what a check sees as bytes trickle in. */
    static List<byte[]> prefixes(byte[] whole) {
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < whole.length; i++) {
            byte[] p = new byte[i];
            System.arraycopy(whole, 0, p, 0, i);
            out.add(p);
        }
        return out;
    }

    /** The script's steps as "send <hex>" and "expect <description>" lines. */
    static List<String> describe(CheckScript script) {
        List<String> out = new ArrayList<>();
        for (CheckScript.Step s : script.steps()) {
            if (s instanceof CheckScript.Send send) {
                out.add("send " + ByteBufUtil.hexDump(send.data()));
            } else {
                out.add(((CheckScript.Expect) s).description());
            }
        }
        return out;
    }

    static String verdict(CheckScript.Result r) {
        if (r == CheckScript.Result.WAIT) {
            return "WAIT";
        }
        if (r == CheckScript.Result.PASS) {
            return "PASS";
        }
        return (r.isWrongStatus() ? "STATUS " : "FAIL ") + r.reason();
    }
}
