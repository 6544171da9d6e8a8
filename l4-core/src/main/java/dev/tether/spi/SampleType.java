package dev.tether.spi;

/**
 * The type of a sample (CFG §7.1), with the Java class a fetch returns for it: {@code IP} an
 * {@link java.net.InetAddress}, {@code INT} a {@link Long}, {@code STR} a {@link String}, {@code BOOL} a
 * {@link Boolean}, {@code BIN} a {@code byte[]}. {@code ANY} is only ever a converter's input type: the converter
 * takes whatever the expression gives it (the {@code table_*} lookups do, as each table knows its key type).
 */
public enum SampleType {
    IP("an address"), INT("an integer"), STR("a string"), BOOL("a boolean"), BIN("a binary"), ANY("any");

    private final String description;

    SampleType(String description) {
        this.description = description;
    }

    /** How error messages name a sample of this type. */
    public String description() {
        return description;
    }
}
