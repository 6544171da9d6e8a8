package dev.tether.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Reads HAProxy-syntax configuration files into a {@link TetherConfig}. Runs off the event loops; touches the file
 * system (the files, {@code -f} pattern files) and nothing else.
 */
public final class ConfigLoader {

    private ConfigLoader() {
    }

    /** Loads the files in order, as several {@code -f} options do; {@code env} serves {@code ${VAR}} expansion. */
    public static TetherConfig load(List<Path> files, Map<String, String> env) throws ConfigException {
        throw new UnsupportedOperationException("not yet");
    }

    /** Parses one configuration text; {@code sourceName} is what error messages call the file. */
    public static TetherConfig parse(String sourceName, String text, Map<String, String> env) throws ConfigException {
        throw new UnsupportedOperationException("not yet");
    }
}
