package dev.tether.rules;

import dev.tether.spi.SampleType;

import dev.tether.spi.FetchKeyword;

import dev.tether.spi.Fetch;

import dev.tether.spi.SessionView;
import io.netty.buffer.ByteBuf;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Layer 6 fetches over the buffered request and response (CFG §7.3.5): {@code req.len}, {@code req.payload},
 * {@code req.payload_lv} and their {@code res.} twins, and {@code wait_end}. They read the session's inspection buffers without consuming
 * or retaining them. While a buffer is not complete, too few bytes means "need more data"; once it is complete, "not
 * found".
 */
final class PayloadFetches {

    /** A buffer of the session and whether it is final. */
    private record Side(String prefix, Function<SessionView, ByteBuf> buffer, Predicate<SessionView> complete) {
    }

    private static final Side REQUEST = new Side("req", SessionView::requestBuffer, SessionView::requestComplete);
    private static final Side RESPONSE = new Side("res", SessionView::responseBuffer, SessionView::responseComplete);

    private PayloadFetches() {
    }

    static void register(SampleRegistry.Builder b) {
        for (Side side : List.of(REQUEST, RESPONSE)) {
            String what = side == REQUEST ? "request" : "response";
            b.fetch(new FetchKeyword(side.prefix() + ".len", SampleType.INT, "bytes of the " + what
                    + " buffered so far; may still grow until the " + what + " is complete", args -> {
                        SampleArgs.none(args);
                        return new Length(side);
                    }));
            b.fetch(new FetchKeyword(side.prefix() + ".payload", SampleType.BIN, "<len> bytes of the " + what
                    + " at <off>, or all from <off> when <len> is 0: (<off>,<len>)", args -> payload(side, args)));
            b.fetch(new FetchKeyword(side.prefix() + ".payload_lv", SampleType.BIN, "a block of the " + what
                    + " whose length is the <len>-byte big-endian field at <off1>, starting after it or at <off2>"
                    + " (+n/-n: relative to the end of the field): (<off1>,<len>[,<off2>])",
                    args -> lengthValue(side, args)));
        }
        b.fetch(new FetchKeyword("wait_end", SampleType.BOOL, "true once the request's inspection is over (the"
                + " inspect delay expired, the client ended or the buffer is full); until then a rule waits", args -> {
                    SampleArgs.none(args);
                    return new WaitEnd();
                }));
    }

    /** HAProxy's {@code wait_end}: no verdict before the request is final, then true. */
    private record WaitEnd() implements Fetch {
        @Override
        public Object sample(SessionView session) {
            return session.requestComplete();
        }

        @Override
        public boolean mayChange(SessionView session) {
            return !session.requestComplete();
        }
    }

    private static Fetch payload(Side side, List<String> args) {
        SampleArgs.count(args, 2, 2, "(<offset>,<length>)");
        int offset = (int) SampleArgs.integer(args.get(0), "offset", 0, Integer.MAX_VALUE);
        int length = (int) SampleArgs.integer(args.get(1), "length", 0, Integer.MAX_VALUE);
        return new Payload(side, offset, length);
    }

    private static Fetch lengthValue(Side side, List<String> args) {
        SampleArgs.count(args, 2, 3, "(<offset1>,<length>[,<offset2>])");
        int fieldOffset = (int) SampleArgs.integer(args.get(0), "offset1", 0, Integer.MAX_VALUE);
        int fieldLength = (int) SampleArgs.integer(args.get(1), "length field size", 1, 4);
        long dataOffset = (long) fieldOffset + fieldLength;
        if (args.size() == 3) {
            String off2 = args.get(2);
            if (off2.startsWith("+") || off2.startsWith("-")) {
                dataOffset += SampleArgs.integer(off2.startsWith("+") ? off2.substring(1) : off2, "offset2",
                        -Integer.MAX_VALUE, Integer.MAX_VALUE);
                if (dataOffset < 0) {
                    throw new IllegalArgumentException("offset2 " + off2 + " points before the start of the buffer");
                }
            } else {
                dataOffset = SampleArgs.integer(off2, "offset2", 0, Integer.MAX_VALUE);
            }
        }
        return new LengthValue(side, fieldOffset, fieldLength, dataOffset);
    }

    /** No sample while the buffer may still grow to hold it; none at all once it is complete. */
    private static Object tooShort(Side side, SessionView session) {
        return side.complete().test(session) ? null : Fetch.NEED_MORE_DATA;
    }

    private static byte[] copy(ByteBuf buf, long offset, long length) {
        byte[] out = new byte[(int) length];
        buf.getBytes(buf.readerIndex() + (int) offset, out);
        return out;
    }

    private record Length(Side side) implements Fetch {
        @Override
        public Object sample(SessionView session) {
            return (long) side.buffer().apply(session).readableBytes();
        }

        @Override
        public boolean mayChange(SessionView session) {
            return !side.complete().test(session);
        }
    }

    private record Payload(Side side, int offset, int length) implements Fetch {
        @Override
        public Object sample(SessionView session) {
            ByteBuf buf = side.buffer().apply(session);
            int available = buf.readableBytes();
            long end = length == 0 ? Math.max(available, offset) : (long) offset + length;
            if (offset > available || end > available) {
                return tooShort(side, session);
            }
            return copy(buf, offset, end - offset);
        }

        /** "Everything from offset" grows with the buffer. */
        @Override
        public boolean mayChange(SessionView session) {
            return length == 0 && !side.complete().test(session);
        }
    }

    private record LengthValue(Side side, int fieldOffset, int fieldLength, long dataOffset) implements Fetch {
        @Override
        public Object sample(SessionView session) {
            ByteBuf buf = side.buffer().apply(session);
            int available = buf.readableBytes();
            if ((long) fieldOffset + fieldLength > available) {
                return tooShort(side, session);
            }
            long size = 0;
            for (int i = 0; i < fieldLength; i++) {
                size = size << 8 | buf.getUnsignedByte(buf.readerIndex() + fieldOffset + i);
            }
            if (size == 0) {
                // HAProxy gives no sample for an empty block: "will never match". A new TLS client's empty
                // session id must not become a stick key that every new client shares.
                return null;
            }
            if (dataOffset + size > available) {
                return tooShort(side, session);
            }
            return copy(buf, dataOffset, size);
        }
    }
}
