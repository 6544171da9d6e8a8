package dev.tether.it.harness;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A runtime API socket ({@code stats socket <path> level admin}) as an operator reads it, one command per
 * connection: Tether's and HAProxy's alike, so one test can ask both the same question.
 */
public final class StatsSocket {

    private final Path path;

    public StatsSocket(Path path) {
        this.path = path;
    }

    /** One command; the answer ends when the server closes the connection. */
    public String command(String command) throws IOException {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(path));
            ch.write(ByteBuffer.wrap((command + "\n").getBytes(StandardCharsets.US_ASCII)));
            StringBuilder out = new StringBuilder();
            ByteBuffer buf = ByteBuffer.allocate(8192);
            while (ch.read(buf) >= 0) {
                buf.flip();
                out.append(StandardCharsets.UTF_8.decode(buf));
                buf.clear();
            }
            return out.toString();
        }
    }

    /** The {@code show stat} row of {@code proxy/server}, keyed by the header's column names. */
    public Map<String, String> statRow(String proxy, String server) throws IOException {
        return row(command("show stat"), proxy, server);
    }

    /**
     * Asks {@code show stat} until the row of {@code proxy/server} has {@code column} equal to {@code value}; fails
     * with the last row seen when {@code bound} passes first.
     */
    public Map<String, String> awaitStat(String proxy, String server, String column, String value, Duration bound)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + bound.toNanos();
        Map<String, String> row = Map.of();
        while (System.nanoTime() < deadline) {
            row = statRow(proxy, server);
            if (value.equals(row.get(column))) {
                return row;
            }
            Thread.sleep(50);
        }
        throw new AssertionError(column + " of " + proxy + "/" + server + " did not become " + value + " within "
                + bound + "; last row: " + row);
    }

    /** The CSV row of {@code proxy/server} in a {@code show stat} answer, keyed by the header's column names. */
    public static Map<String, String> row(String csv, String proxy, String server) {
        String[] lines = csv.split("\n");
        List<String> header = fields(lines[0].substring(2));
        for (String line : lines) {
            List<String> f = fields(line);
            if (f.size() > 1 && f.get(0).equals(proxy) && f.get(1).equals(server)) {
                Map<String, String> row = new HashMap<>();
                for (int i = 0; i < header.size() && i < f.size(); i++) {
                    row.put(header.get(i), f.get(i));
                }
                return row;
            }
        }
        throw new AssertionError("no row for " + proxy + "/" + server + " in: " + csv);
    }

    /** CSV fields; a field in double quotes may hold commas, and "" is a quote. */
    private static List<String> fields(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder f = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    f.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    f.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                out.add(f.toString());
                f.setLength(0);
            } else {
                f.append(c);
            }
        }
        out.add(f.toString());
        return out;
    }
}
