package dev.tether.server;

import dev.tether.transport.TransportKind;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The parsed command line. Options follow HAProxy's where they exist ({@code -f}, {@code -c}, {@code -v}); the rest
 * are Tether's own long options.
 */
record CommandLine(Mode mode, List<Path> files, TransportKind transport, int eventLoops, String localPeer) {

    enum Mode { RUN, CHECK, DEMO, HELP, VERSION }

    static final String USAGE = String.join("\n",
            "Usage: tether [-c] -f <file|dir> [-f <file|dir> ...] [options]",
            "       tether --demo [options]",
            "",
            "  -f <file|dir>        load a configuration file (HAProxy syntax, TCP subset); a directory loads its",
            "                       *.cfg files in name order; repeat to load several, in order",
            "  -c                   check the configuration and exit 0 (valid) or 1 (invalid); binds nothing",
            "  -L <name>            this process's name in peers sections (over 'localpeer'; default: host name)",
            "  --demo               start a built-in example with three backends that answer with their names",
            "  --transport <kind>   auto (default), epoll, io_uring or nio",
            "  --threads <n>        event loops (default: one per core)",
            "  -v, --version        print the version",
            "  -h, --help           print this help",
            "",
            "Signals: SIGTERM or SIGINT stop accepting, let sessions finish for at most hard-stop-after, then exit.");

    static CommandLine parse(String[] args) throws UsageException {
        Mode mode = Mode.RUN;
        boolean check = false;
        boolean demo = false;
        List<Path> files = new ArrayList<>();
        TransportKind transport = TransportKind.AUTO;
        int loops = 0;
        String localPeer = "";
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "-f":
                    files.add(Path.of(value(args, ++i, a)));
                    break;
                case "-c":
                    check = true;
                    break;
                case "-L":
                    localPeer = value(args, ++i, a);
                    break;
                case "--demo":
                    demo = true;
                    break;
                case "--transport":
                    transport = transport(value(args, ++i, a));
                    break;
                case "--threads":
                    loops = threads(value(args, ++i, a));
                    break;
                case "-v":
                case "--version":
                    return new CommandLine(Mode.VERSION, List.of(), transport, loops, localPeer);
                case "-h":
                case "--help":
                    return new CommandLine(Mode.HELP, List.of(), transport, loops, localPeer);
                default:
                    throw new UsageException("unknown option '" + a + "'");
            }
        }
        if (demo) {
            if (check || !files.isEmpty()) {
                throw new UsageException("--demo runs its own configuration: it takes no -f and no -c");
            }
            mode = Mode.DEMO;
        } else {
            if (files.isEmpty()) {
                throw new UsageException("no configuration given: use -f <file>, or --demo");
            }
            mode = check ? Mode.CHECK : Mode.RUN;
        }
        return new CommandLine(mode, List.copyOf(files), transport, loops, localPeer);
    }

    private static String value(String[] args, int i, String option) throws UsageException {
        if (i >= args.length || args[i].isEmpty()) {
            throw new UsageException("option '" + option + "' expects a value");
        }
        return args[i];
    }

    private static TransportKind transport(String s) throws UsageException {
        switch (s.toLowerCase(Locale.ROOT)) {
            case "auto":
                return TransportKind.AUTO;
            case "epoll":
                return TransportKind.EPOLL;
            case "io_uring":
            case "iouring":
                return TransportKind.IO_URING;
            case "nio":
                return TransportKind.NIO;
            default:
                throw new UsageException("'--transport' expects one of auto, epoll, io_uring, nio");
        }
    }

    private static int threads(String s) throws UsageException {
        try {
            int n = Integer.parseInt(s);
            if (n >= 1 && n <= 1024) {
                return n;
            }
        } catch (NumberFormatException e) {
            // fall through to the message below
        }
        throw new UsageException("'--threads' expects a number from 1 to 1024");
    }

    static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }
}
