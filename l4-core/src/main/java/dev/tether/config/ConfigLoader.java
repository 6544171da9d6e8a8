package dev.tether.config;

import dev.tether.plugin.Plugins;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Reads HAProxy-syntax configuration files into a {@link TetherConfig}. Runs off the event loops; touches the file
 * system (the files, {@code -f} pattern files) and the resolver (host names in ACL patterns), nothing else.
 */
public final class ConfigLoader {

    private ConfigLoader() {
    }

    /**
     * Loads the files in order, as several {@code -f} options do; {@code env} serves {@code ${VAR}} expansion. The
     * plugins are those on the class path ({@link Plugins#discover()}).
     */
    public static TetherConfig load(List<Path> files, Map<String, String> env) throws ConfigException {
        return load(files, env, Plugins.discover());
    }

    /** As {@link #load(List, Map)}, with the given plugins. */
    public static TetherConfig load(List<Path> files, Map<String, String> env, Plugins plugins)
            throws ConfigException {
        if (files.isEmpty()) {
            throw new ConfigException(Location.builtIn("command line"), "", "no configuration file given");
        }
        ConfigParser parser = new ConfigParser(plugins);
        for (Path file : files) {
            String text;
            try {
                text = Files.readString(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new ConfigException(Location.builtIn(file.toString()), "", "cannot read the file: "
                        + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage()));
            }
            parser.parse(file.toString(), text, env, file);
        }
        return parser.finish();
    }

    /** Parses one configuration text; {@code sourceName} is what error messages call the file. */
    public static TetherConfig parse(String sourceName, String text, Map<String, String> env) throws ConfigException {
        return parse(sourceName, text, env, Plugins.discover());
    }

    public static TetherConfig parse(String sourceName, String text, Map<String, String> env, Plugins plugins)
            throws ConfigException {
        ConfigParser parser = new ConfigParser(plugins);
        parser.parse(sourceName, text, env, null);
        return parser.finish();
    }
}
