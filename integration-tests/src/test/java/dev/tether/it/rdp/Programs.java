package dev.tether.it.rdp;

import dev.tether.it.harness.Skips;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The installed programs the RDP tests run, found where Debian's packages put them, and bounded runs of them. */
final class Programs {

    private Programs() {
    }

    /** The program's path; skips the test (fails it on CI) when it is not installed. */
    static Path find(String name, String debianPackage) {
        for (String d : List.of("/usr/bin", "/usr/sbin", "/usr/local/bin", "/usr/local/sbin")) {
            Path p = Path.of(d, name);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        throw Skips.skipOrFail(name + " is not installed (.ci/run installs " + debianPackage + ")");
    }

    /**
     * Runs {@code command} in {@code dir} to its end, at most {@code seconds}; the process tree is killed when it
     * runs longer. Returns its exit status and output.
     */
    static Result run(List<String> command, Map<String, String> env, Path dir, long seconds)
            throws IOException, InterruptedException {
        Path out = Files.createTempFile(dir, "run", ".log");
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(out.toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        boolean ended = p.waitFor(seconds, TimeUnit.SECONDS);
        if (!ended) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
        String output = Files.readString(out, StandardCharsets.UTF_8);
        return new Result(ended ? p.exitValue() : -1, ended, output);
    }

    /** A finished run: its exit status (-1 when it was killed for running too long) and its output. */
    record Result(int status, boolean ended, String output) {
    }

    /** Kills a long-running child and its descendants, and waits for it. */
    static void stop(Process p) throws InterruptedException {
        if (p == null) {
            return;
        }
        p.descendants().forEach(ProcessHandle::destroy);
        p.destroy();
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
