package dev.tether.it.harness;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * A missing backend skips the test on a developer's machine, where not every server is installed, but fails it
 * when the environment variable {@code CI} is set: CI installs everything, so a skip there hides a broken harness.
 */
public final class Skips {

    private Skips() {
    }

    public static boolean onCi() {
        String ci = System.getenv("CI");
        return ci != null && !ci.isBlank() && !"false".equalsIgnoreCase(ci);
    }

    /** Never returns normally: aborts the test (skip) or fails it on CI. */
    public static RuntimeException skipOrFail(String reason) {
        if (onCi()) {
            Assertions.fail("CI is set, so a missing backend fails the build: " + reason);
        }
        Assumptions.abort(reason);
        throw new IllegalStateException("unreachable: " + reason);
    }
}
