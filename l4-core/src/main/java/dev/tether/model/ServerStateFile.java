package dev.tether.model;

import dev.tether.config.Addresses;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A server state file (HAProxy's {@code server-state-file}, version 1): what {@code show servers state} printed before
 * a reload, read at start so that servers come back as they were (docs/configuration.md, "Server state files"). A
 * file that cannot be read, a version other than 1 and malformed lines are warned about and skipped, as HAProxy
 * does: the configuration still starts.
 */
final class ServerStateFile {

    private static final Logger LOG = LoggerFactory.getLogger(ServerStateFile.class);

    /** {@code show servers state}'s admin bits Tether restores: forced maintenance and forced drain. */
    static final int FORCED_MAINT = 0x01;
    static final int FORCED_DRAIN = 0x08;
    /** Operational states. */
    static final int STOPPED = 0;
    static final int STOPPING = 3;

    /** One server's line: the fields Tether applies. */
    record Entry(String backend, String server, String addr, int opState, int adminState, int uweight, int iweight,
            String fqdn, int port) {

        /** The saved address, when it is an IP address; null otherwise. */
        InetAddress address() {
            if (!Addresses.isIpLiteral(addr)) {
                return null;
            }
            try {
                return InetAddress.getByName(addr);
            } catch (UnknownHostException e) {
                return null;
            }
        }
    }

    static final ServerStateFile EMPTY = new ServerStateFile(Map.of());

    private final Map<String, Entry> entries;

    private ServerStateFile(Map<String, Entry> entries) {
        this.entries = entries;
    }

    /** The entry of {@code backend/server}, or null. */
    Entry entry(String backend, String server) {
        return entries.get(backend + "/" + server);
    }

    /** Reads {@code file}; what cannot be read is warned about and left out. */
    static ServerStateFile read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            LOG.warn("server state file {} does not exist: servers start as configured", file);
            return EMPTY;
        } catch (IOException | RuntimeException e) {
            LOG.warn("cannot read server state file {}: {}; servers start as configured", file, e.toString());
            return EMPTY;
        }
        return parse(file.toString(), text);
    }

    static ServerStateFile parse(String name, String text) {
        String[] lines = text.split("\n");
        int first = 0;
        while (first < lines.length && lines[first].isBlank()) {
            first++;
        }
        if (first == lines.length) {
            return EMPTY;
        }
        if (!lines[first].trim().equals("1")) {
            LOG.warn("server state file {} has version '{}'; only version 1 is read: servers start as configured",
                    name, lines[first].trim());
            return EMPTY;
        }
        Map<String, Entry> out = new HashMap<>();
        for (int i = first + 1; i < lines.length; i++) {
            String line = lines[i].trim();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\\s+");
            Entry e = entry(f);
            if (e == null) {
                LOG.warn("server state file {}, line {}: not a server state line, skipped", name, i + 1);
                continue;
            }
            out.put(e.backend() + "/" + e.server(), e);
        }
        return new ServerStateFile(Map.copyOf(out));
    }

    /** The fields of one line (19 at least: through srv_port), or null when they are not numbers where they must. */
    private static Entry entry(String[] f) {
        if (f.length < 19) {
            return null;
        }
        try {
            return new Entry(f[1], f[3], f[4], Integer.parseInt(f[5]), Integer.parseInt(f[6]), Integer.parseInt(f[7]),
                    Integer.parseInt(f[8]), f[17].equals("-") ? "" : f[17], Integer.parseInt(f[18]));
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
