package dev.tether.config;

import java.util.Objects;

/**
 * A section's {@code log-format <string>} (CFG §8.2.6): the session line's layout instead of the tcplog one. The
 * string is compiled, and refused with its line named, when the runtime model is built.
 */
public record LogFormatConfig(Location location, String text) {

    public LogFormatConfig {
        Objects.requireNonNull(text, "text");
    }
}
