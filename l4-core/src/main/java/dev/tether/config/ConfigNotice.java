package dev.tether.config;

/** Something accepted but worth telling the operator about (an ignored process keyword, a missing timeout). */
public record ConfigNotice(Location location, String message) {

    @Override
    public String toString() {
        return location + ": " + message;
    }
}
