package dev.tether.it.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** Finds server programs installed on the machine (PATH, sbin directories, Debian's versioned PostgreSQL dirs). */
final class Installed {

    private Installed() {
    }

    /** The program's path; the exception says where it was looked for. */
    static Path find(String program) throws BackendUnavailableException {
        List<Path> dirs = new ArrayList<>();
        String path = System.getenv("PATH");
        if (path != null) {
            for (String d : path.split(":")) {
                if (!d.isEmpty()) {
                    dirs.add(Path.of(d));
                }
            }
        }
        for (String d : new String[] {"/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin",
            "/usr/lib/rabbitmq/bin"}) {
            dirs.add(Path.of(d));
        }
        dirs.addAll(postgresBinDirs());
        for (Path d : dirs) {
            Path candidate = d.resolve(program);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new BackendUnavailableException(program + " is not installed (looked in " + dirs + ")");
    }

    /** Debian keeps initdb and postgres out of PATH, under /usr/lib/postgresql/VERSION/bin; newest first. */
    private static List<Path> postgresBinDirs() {
        Path root = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> versions = Files.list(root)) {
            return versions.map(v -> v.resolve("bin")).filter(Files::isDirectory)
                    .sorted(Comparator.comparing((Path p) -> versionOf(p.getParent())).reversed())
                    .toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot list " + root, e);
        }
    }

    private static int versionOf(Path dir) {
        String name = dir.getFileName().toString();
        return name.matches("\\d+") ? Integer.parseInt(name) : 0;
    }

    /** The effective user id: servers such as PostgreSQL refuse to run as root. */
    static int uid() throws IOException {
        return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
    }
}
