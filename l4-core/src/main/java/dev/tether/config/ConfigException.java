package dev.tether.config;

/**
 * A configuration error. The message always reads {@code file:line: 'keyword' <what was expected>}, so an
 * operator can jump to the line; the parts stay available for tools and tests.
 */
public final class ConfigException extends Exception {

    private static final long serialVersionUID = 1L;

    private final transient Location location;
    private final String keyword;
    private final String detail;

    public ConfigException(Location location, String keyword, String detail) {
        super(format(location, keyword, detail));
        this.location = location;
        this.keyword = keyword;
        this.detail = detail;
    }

    private static String format(Location location, String keyword, String detail) {
        StringBuilder sb = new StringBuilder();
        sb.append(location).append(": ");
        if (keyword != null && !keyword.isEmpty()) {
            sb.append('\'').append(keyword).append("' ");
        }
        return sb.append(detail).toString();
    }

    public Location location() {
        return location;
    }

    /** The keyword the error is about; empty when the error is not about one keyword (a lexical error). */
    public String keyword() {
        return keyword == null ? "" : keyword;
    }

    public String detail() {
        return detail;
    }
}
