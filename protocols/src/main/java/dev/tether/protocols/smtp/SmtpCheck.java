package dev.tether.protocols.smtp;

import dev.tether.protocols.ServerText;
import dev.tether.spi.CheckKeyword;
import dev.tether.spi.CheckScript;
import dev.tether.spi.CheckScript.Result;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * {@code option smtpchk [HELO|EHLO <domain>]}: HAProxy's SMTP check (src/tcpcheck.c). It waits for the server's
 * greeting, sends {@code HELO localhost} (or the command and domain given; a command other than EHLO is HELO, as in
 * HAProxy), reads the answer, sends {@code QUIT} and reads that answer. Each reply must be a complete SMTP reply
 * (RFC 5321 §4.2: lines of a three-digit code, '-' on every line but the last, then text) whose code is 2xx; a
 * reply with another code fails as a wrong status with the code and the server's text, anything else as an invalid
 * response.
 */
public final class SmtpCheck {

    public static final CheckKeyword KEYWORD = new CheckKeyword("smtpchk",
            "SMTP check: expects a 2xx greeting, sends HELO (or EHLO) <domain>, then QUIT: option smtpchk"
                    + " [HELO|EHLO <domain>]", SmtpCheck::create);

    /** The longest reply line RFC 5321 allows (§4.5.3.1.5), CRLF included. */
    static final int MAX_LINE = 512;

    private SmtpCheck() {
    }

    static CheckScript create(List<String> args) {
        String hello = "HELO";
        String domain = "localhost";
        if (args.size() == 1) {
            throw new IllegalArgumentException("expects HELO|EHLO <domain> (the domain is required with a command)");
        }
        if (args.size() > 2) {
            throw new IllegalArgumentException("expects HELO|EHLO <domain>, found extra '" + args.get(2) + "'");
        }
        if (args.size() == 2) {
            hello = args.get(0).equalsIgnoreCase("EHLO") ? "EHLO" : "HELO";
            domain = args.get(1);
        }
        return CheckScript.of(CheckScript.expect("expect a 2xx greeting", SmtpCheck::judge),
                CheckScript.send(line(hello + " " + domain)),
                CheckScript.expect("expect 2xx to " + hello, SmtpCheck::judge),
                CheckScript.send(line("QUIT")),
                CheckScript.expect("expect 2xx to QUIT", SmtpCheck::judge));
    }

    static byte[] line(String text) {
        return (text + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** One complete reply: its lines up to the one without '-' after the code; passes on a 2xx code. */
    static Result judge(ByteBuf in, boolean ended) {
        int start = in.readerIndex();
        int end = in.writerIndex();
        int lineStart = start;
        while (true) {
            int lf = ServerText.indexOf(in, lineStart, end, (byte) '\n');
            if (lf < 0) {
                if (end - lineStart >= MAX_LINE) {
                    return Result.fail("SMTP reply line longer than " + MAX_LINE + " bytes: "
                            + ServerText.preview(in, start, end));
                }
                return ended ? Result.fail(end == start ? "the server closed without an SMTP reply"
                        : "the server closed in the middle of its SMTP reply: " + ServerText.preview(in, start, end))
                        : Result.WAIT;
            }
            int code = code(in, lineStart, lf);
            if (code < 0) {
                return Result.fail("not an SMTP reply: " + ServerText.preview(in, start, end));
            }
            boolean more = lf - lineStart > 3 && in.getByte(lineStart + 3) == '-';
            if (!more) {
                if (code / 100 == 2) {
                    return Result.pass(code);
                }
                int textEnd = lf > lineStart && in.getByte(lf - 1) == '\r' ? lf - 1 : lf;
                return Result.wrongStatus("SMTP server replied " + ServerText.text(in, lineStart, textEnd), code);
            }
            lineStart = lf + 1;
        }
    }

    /** The three-digit code a reply line starts with, followed by ' ', '-' or the line end; -1 otherwise. */
    private static int code(ByteBuf in, int from, int lf) {
        if (lf - from < 3) {
            return -1;
        }
        int code = 0;
        for (int i = from; i < from + 3; i++) {
            byte b = in.getByte(i);
            if (b < '0' || b > '9') {
                return -1;
            }
            code = code * 10 + (b - '0');
        }
        if (code < 200 || code > 599) {
            return -1;
        }
        byte after = in.getByte(from + 3);
        return after == ' ' || after == '-' || after == '\r' || after == '\n' ? code : -1;
    }
}
