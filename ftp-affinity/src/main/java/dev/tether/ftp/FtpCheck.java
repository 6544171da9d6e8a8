package dev.tether.ftp;

import dev.tether.spi.CheckScript;
import dev.tether.spi.LogText;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * {@code option ftp-check}: the server's greeting must be a 220 reply (RFC 959 §4.2; a 120 "ready in nnn
 * minutes" may come first, a multi-line 220 banner is read to its last line), then the check says QUIT.
 */
final class FtpCheck {

    static final String DESCRIPTION = "expect 220 greeting";

    private FtpCheck() {
    }

    static CheckScript create(List<String> args) {
        if (!args.isEmpty()) {
            throw new IllegalArgumentException("takes no argument");
        }
        return CheckScript.of(
                CheckScript.expect(DESCRIPTION, FtpCheck::greeting),
                CheckScript.send("QUIT\r\n".getBytes(StandardCharsets.US_ASCII)));
    }

    /** Judges the greeting: the first final reply decides, preliminary 1yz replies and continuation lines wait. */
    static CheckScript.Result greeting(ByteBuf received, boolean ended) {
        String text = received.toString(StandardCharsets.ISO_8859_1);
        int multi = 0;
        int start = 0;
        int lf;
        while ((lf = text.indexOf('\n', start)) >= 0) {
            String line = text.substring(start, lf + 1);
            start = lf + 1;
            int code = FtpGateway.code(line);
            if (multi != 0) {
                if (code == multi && line.charAt(3) != '-') {
                    CheckScript.Result r = judge(code, line);
                    if (r != null) {
                        return r;
                    }
                    multi = 0;
                }
                continue;
            }
            if (code < 0) {
                return CheckScript.Result.fail("not an FTP greeting: " + printable(line));
            }
            if (line.charAt(3) == '-') {
                multi = code;
                continue;
            }
            CheckScript.Result r = judge(code, line);
            if (r != null) {
                return r;
            }
        }
        if (ended) {
            return CheckScript.Result.fail(text.isEmpty() ? "closed without a greeting"
                    : "greeting cut short: " + printable(text.substring(start)));
        }
        return CheckScript.Result.WAIT;
    }

    /** PASS for 220, null to wait on after a 1yz, a failure naming any other reply. */
    private static CheckScript.Result judge(int code, String line) {
        if (code == 220) {
            return CheckScript.Result.PASS;
        }
        if (code < 200) {
            return null;
        }
        return CheckScript.Result.fail("greeting " + printable(line));
    }

    private static String printable(String s) {
        return LogText.clean(DataAddresses.stripEnd(s), 80);
    }
}
