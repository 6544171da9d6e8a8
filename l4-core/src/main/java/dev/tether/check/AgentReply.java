package dev.tether.check;

import dev.tether.model.ServerState;
import dev.tether.spi.CheckScript.Result;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * What an agent answered (CFG §5.2 agent-check): one line, ended by CR, LF or NUL, of words separated by spaces,
 * tabs or commas, in any order. {@code 75%} sets the weight to that share of the configured one; {@code ready},
 * {@code drain} and {@code maint} set the administrative state; {@code up} and {@code down}, {@code fail} or
 * {@code stopped} the operational state, the latter optionally followed by {@code #<description>} after a separator;
 * {@code maxconn:<n>} sets the connection limit (0: none). Words are case-insensitive; others are ignored, as HAProxy ignores
 * them. What the agent does not say is not changed.
 *
 * @param weightPercent the weight share, or -1 when not given
 * @param admin the administrative state, or null when not given
 * @param state {@code up}, {@code down}, {@code fail} or {@code stopped} as written (in any case), or null
 * @param description what followed {@code #}, or ""
 * @param maxConn {@code maxconn:<n>}, or -1
 */
record AgentReply(int weightPercent, ServerState.Admin admin, String state, String description, int maxConn) {

    /** The longest line read: agents answer a few words. */
    static final int MAX_LINE = 1024;

    /** Waits for the agent's line; passes with it (tabs made spaces, so that the report can show it as is). */
    static Result judge(ByteBuf in, boolean ended) {
        int start = in.readerIndex();
        int end = Math.min(in.writerIndex(), start + MAX_LINE);
        int stop = -1;
        for (int i = start; i < end; i++) {
            byte b = in.getByte(i);
            if (b == '\r' || b == '\n' || b == 0) {
                stop = i;
                break;
            }
        }
        if (stop < 0) {
            if (!ended && end - start < MAX_LINE) {
                return Result.WAIT;
            }
            stop = end;
        }
        if (stop == start) {
            return Result.fail("the agent answered nothing");
        }
        return Result.pass(in.toString(start, stop - start, StandardCharsets.ISO_8859_1).replace('\t', ' '));
    }

    static AgentReply parse(String line) {
        int weight = -1;
        ServerState.Admin admin = null;
        String state = null;
        String description = "";
        int maxConn = -1;
        String[] words = line.split("[ \t,]+");
        int offset = 0;
        for (String w : words) {
            offset = line.indexOf(w, offset);
            if (w.isEmpty()) {
                continue;
            }
            if (w.startsWith("#")) {
                description = line.substring(offset + 1).strip();
                break;
            }
            String word = w.toLowerCase(Locale.ROOT);
            if (word.endsWith("%") && word.length() > 1 && word.chars().limit(word.length() - 1L)
                    .allMatch(c -> c >= '0' && c <= '9') && word.length() <= 5) {
                weight = Integer.parseInt(word.substring(0, word.length() - 1));
            } else if (word.startsWith("maxconn:") && word.length() > 8 && word.length() <= 17
                    && word.substring(8).chars().allMatch(c -> c >= '0' && c <= '9')) {
                maxConn = (int) Math.min(Integer.MAX_VALUE, Long.parseLong(word.substring(8)));
            } else if (word.equals("ready")) {
                admin = ServerState.Admin.READY;
            } else if (word.equals("drain")) {
                admin = ServerState.Admin.DRAIN;
            } else if (word.equals("maint")) {
                admin = ServerState.Admin.MAINT;
            } else if (word.equals("up") || word.equals("down") || word.equals("fail") || word.equals("stopped")) {
                state = w;
            }
            offset += w.length();
        }
        return new AgentReply(weight, admin, state, description, maxConn);
    }

    /** Whether the reply marks the server down. */
    boolean down() {
        return state != null && !state.equalsIgnoreCase("up");
    }

    /** The weight the reply sets, from the server's configured weight: that share, at most 256. */
    int weight(int initialWeight) {
        return (int) Math.min(256, (long) initialWeight * weightPercent / 100);
    }

    /** HAProxy's info for an agent's state word: {@code via agent : down (why)}. */
    String info() {
        return "via agent : " + state + (description.isEmpty() ? "" : " (" + description + ")");
    }
}
