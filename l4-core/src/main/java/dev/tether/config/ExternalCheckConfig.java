package dev.tether.config;

/**
 * A backend's external check: {@code option external-check} runs {@code external-check command} for each check of
 * each server, with {@code external-check path} as its PATH, and the exit status decides (CFG §4.2). The three
 * keywords are written separately, in any order, and inherited from defaults; the command and path are kept even
 * while another check option is the one in force, as HAProxy keeps them.
 *
 * @param enabled {@code option external-check} is the backend's check type: another check option written after it
 *     turns it off, and it turns them off
 * @param location where {@code option external-check} was written (errors name it); null when never
 * @param command {@code external-check command}; null = not set
 * @param commandLocation where the command was written; null when never
 * @param path {@code external-check path}, the PATH the command runs with; null = not set (PATH is then empty)
 * @param proxyAddress the first two arguments of the command and HAProxy's {@code HAPROXY_PROXY_ADDR}: the first
 *     address a {@code listen} section binds; "" for a backend, whose command receives {@code NOT_USED}
 * @param proxyPort that listener's port; "" for a backend
 */
public record ExternalCheckConfig(boolean enabled, Location location, String command, Location commandLocation,
        String path, String proxyAddress, String proxyPort) {

    public static final ExternalCheckConfig NONE = new ExternalCheckConfig(false, null, null, null, null, "", "");

    /** What the command receives in place of a listener's address and port when the section has none. */
    public static final String NOT_USED = "NOT_USED";

    ExternalCheckConfig enable(Location at) {
        return new ExternalCheckConfig(true, at, command, commandLocation, path, proxyAddress, proxyPort);
    }

    /** Another check option was written after {@code option external-check}: it no longer applies. */
    ExternalCheckConfig off() {
        return enabled ? new ExternalCheckConfig(false, location, command, commandLocation, path, proxyAddress,
                proxyPort) : this;
    }

    ExternalCheckConfig withCommand(String text, Location at) {
        return new ExternalCheckConfig(enabled, location, text, at, path, proxyAddress, proxyPort);
    }

    ExternalCheckConfig withPath(String text) {
        return new ExternalCheckConfig(enabled, location, command, commandLocation, text, proxyAddress, proxyPort);
    }

    /** The same check, run for a listen section whose first listener is {@code address}:{@code port}. */
    public ExternalCheckConfig withListener(String address, String port) {
        return new ExternalCheckConfig(enabled, location, command, commandLocation, path, address, port);
    }
}
