package dev.tether.config;

import java.util.Objects;

/** Where a configuration element was written: a file name as given on the command line, and a 1-based line. */
public record Location(String file, int line) {

    public Location {
        Objects.requireNonNull(file, "file");
    }

    /** A location for elements that come from no file line (built-in defaults, the demo). */
    public static Location builtIn(String what) {
        return new Location(what, 0);
    }

    @Override
    public String toString() {
        return line > 0 ? file + ":" + line : file;
    }
}
