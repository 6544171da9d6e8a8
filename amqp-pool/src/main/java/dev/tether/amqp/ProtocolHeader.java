package dev.tether.amqp;

import io.netty.buffer.ByteBuf;

/**
 * The protocol header a client sends before anything else: {@code "AMQP"} and four version octets (AMQP 0-9-1
 * §4.2.2; AMQP 1.0 Part 2 §2.2). Detection is kept apart from framing: {@link #detect} says whether the bytes
 * seen so far are not yet enough, an AMQP 0-9-1 header, an AMQP 1.0 header, or something else, and answers
 * "something else" as soon as one byte differs from every header it knows.
 */
enum ProtocolHeader {
    /** Fewer than eight bytes, all of them a possible header so far. */
    NEED_MORE,
    /** {@code AMQP 0 0 9 1}. */
    AMQP_0_9_1,
    /** {@code AMQP <id> 1 0 0} with protocol id 0 (AMQP), 2 (TLS) or 3 (SASL). */
    AMQP_1_0,
    /** Anything else, including AMQP 0-8 and 0-9 ({@code AMQP 1 1 8 0}, {@code AMQP 1 1 0 9}). */
    OTHER;

    static final int LENGTH = 8;

    /** What a broker answers a client whose header it does not accept: its own header, then it closes. */
    static final byte[] AMQP_0_9_1_BYTES = {'A', 'M', 'Q', 'P', 0, 0, 9, 1};

    private static final byte[] MAGIC = {'A', 'M', 'Q', 'P'};

    /** Reads the readable bytes of {@code in} from its reader index, without consuming them. */
    static ProtocolHeader detect(ByteBuf in) {
        int start = in.readerIndex();
        int n = Math.min(in.readableBytes(), LENGTH);
        for (int i = 0; i < Math.min(n, MAGIC.length); i++) {
            if (in.getByte(start + i) != MAGIC[i]) {
                return OTHER;
            }
        }
        if (n > 4) {
            int id = in.getByte(start + 4);
            if (id != 0 && id != 2 && id != 3) {
                return OTHER;
            }
        }
        if (n < LENGTH) {
            return NEED_MORE;
        }
        int id = in.getByte(start + 4);
        int major = in.getByte(start + 5);
        int minor = in.getByte(start + 6);
        int revision = in.getByte(start + 7);
        if (id == 0 && major == 0 && minor == 9 && revision == 1) {
            return AMQP_0_9_1;
        }
        if (major == 1 && minor == 0 && revision == 0) {
            return AMQP_1_0;
        }
        return OTHER;
    }
}
