package dev.tether.config;

import java.util.List;

/** One non-empty configuration line after lexing and conditional blocks: where it was, and its words. */
record ConfigLine(Location location, List<String> words) {

    ConfigLine {
        words = List.copyOf(words);
        if (words.isEmpty()) {
            throw new IllegalArgumentException("empty line");
        }
    }
}
