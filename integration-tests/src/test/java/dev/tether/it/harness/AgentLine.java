package dev.tether.it.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An agent for {@code agent-check} that answers every connection with the line a file holds, which the test
 * rewrites as it goes ({@link #say}): socat serving {@code cat <file>} on a free port.
 */
public final class AgentLine implements AutoCloseable {

    private final Path file;
    private final int port;
    private final PeerProgram socat;

    private AgentLine(Path file, int port, PeerProgram socat) {
        this.file = file;
        this.port = port;
        this.socat = socat;
    }

    /** Starts the agent on {@code host}, a free port, answering {@code first}; its files are named after {@code name}. */
    public static AgentLine start(Path dir, String name, String host, String first) throws Exception {
        Path file = dir.resolve(name + ".txt");
        Files.writeString(file, first + "\n");
        int port = FreePorts.next();
        return new AgentLine(file, port, PeerProgram.agent(host, port, "cat " + file, dir.resolve(name + ".out")));
    }

    public int port() {
        return port;
    }

    /** The agent's answer from the next connection on. */
    public void say(String words) throws IOException {
        Files.writeString(file, words + "\n");
    }

    @Override
    public void close() {
        socat.close();
    }
}
