package dev.tether.it.robustness;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/** Byte strings for the bad-input tests: hexadecimal, one byte per character, and joined. */
final class Bytes {

    private Bytes() {
    }

    static byte[] hex(String s) {
        return HexFormat.of().parseHex(s);
    }

    /** One byte per character (ISO 8859-1), so that control characters and high bytes pass as written. */
    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
