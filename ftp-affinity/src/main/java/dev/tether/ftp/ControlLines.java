package dev.tether.ftp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;

/**
 * One direction of an FTP control connection, cut into lines (RFC 959 §4: lines end with CRLF; a bare LF is taken
 * too). Lines are ISO-8859-1 strings, so every byte maps to one char and back: a line passed on unchanged is the
 * same bytes, whatever encoding its path names use. Holds at most {@link #MAX_LINE} bytes of a line. Session event
 * loop only.
 */
final class ControlLines {

    /** Longer than any command or reply line servers accept or send (vsftpd reads commands of up to 4 KiB). */
    static final int MAX_LINE = 8192;

    private ByteBuf held;

    /** Appends bytes read; takes ownership. */
    void add(ByteBufAllocator alloc, ByteBuf data) {
        if (held == null) {
            held = alloc.heapBuffer(Math.max(256, data.readableBytes()));
        }
        held.writeBytes(data);
        data.release();
    }

    /** The next complete line with its line end, or null until one is complete. */
    String next() {
        if (held == null || !held.isReadable()) {
            return null;
        }
        int lf = held.indexOf(held.readerIndex(), held.writerIndex(), (byte) '\n');
        if (lf < 0) {
            return null;
        }
        int length = lf - held.readerIndex() + 1;
        String line = held.toString(held.readerIndex(), length, StandardCharsets.ISO_8859_1);
        held.skipBytes(length);
        if (!held.isReadable()) {
            held.clear();
        } else if (held.readerIndex() > MAX_LINE) {
            held.discardReadBytes();
        }
        return line;
    }

    /** Whether the bytes held without a line end are more than a line may be. */
    boolean overlong() {
        return held != null && held.readableBytes() > MAX_LINE;
    }

    /** Everything held, as it came, or null when nothing is; the caller owns it. */
    ByteBuf takeRest() {
        if (held == null || !held.isReadable()) {
            return null;
        }
        ByteBuf rest = held.retainedSlice();
        held.skipBytes(held.readableBytes());
        return rest;
    }

    /** Drops whatever is held. */
    void clear() {
        if (held != null) {
            held.clear();
        }
    }

    void release() {
        if (held != null) {
            held.release();
            held = null;
        }
    }
}
