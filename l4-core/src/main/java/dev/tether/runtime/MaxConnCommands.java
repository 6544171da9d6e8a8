package dev.tether.runtime;

import dev.tether.config.StatsSocketConfig.Level;
import dev.tether.model.ConnCounter;
import dev.tether.model.FrontendModel;
import java.util.List;

/**
 * {@code set maxconn frontend <fe> <n>} and {@code set maxconn global <n>} (MGMT §9.3): the concurrent connections
 * at which a frontend, or the whole process, stops accepting, until the configuration is loaded again; and
 * {@code disable|enable frontend <fe>}, which stops it accepting altogether, and starts it again. A raised
 * limit lets waiting connections in at once. Answers are HAProxy 2.6's; a value that is not a number is refused
 * ("Integer value expected."), where HAProxy reads it as 0.
 */
final class MaxConnCommands {

    private static final String INTEGER_EXPECTED = "Integer value expected.\n";
    private static final String OUT_OF_RANGE = "Value out of range.\n";

    private MaxConnCommands() {
    }

    static void register(List<Command> all) {
        all.add(new Command(List.of("set", "maxconn", "frontend"), Level.ADMIN, "set maxconn frontend <fe> <n>",
                "change a frontend's connection limit (0: none of its own)", MaxConnCommands::frontend));
        all.add(new Command(List.of("set", "maxconn", "global"), Level.ADMIN, "set maxconn global <n>",
                "change the process's connection limit (0: back to the configured one)", MaxConnCommands::global));
        all.add(new Command(List.of("set", "rate-limit"), Level.ADMIN, "set rate-limit connections|sessions global <n>",
                "change the process's rate of new connections or sessions a second (0: none)",
                MaxConnCommands::rateLimit));
        all.add(new Command(List.of("disable", "frontend"), Level.ADMIN, "disable frontend <fe>",
                "close a frontend's listening sockets: new clients are refused", (args, ctx) -> args.isEmpty()
                        ? "A frontend name is expected.\n" : ctx.frontends().disable(args.get(0))));
        all.add(new Command(List.of("enable", "frontend"), Level.ADMIN, "enable frontend <fe>",
                "listen again on a disabled frontend's addresses", (args, ctx) -> args.isEmpty()
                        ? "A frontend name is expected.\n" : ctx.frontends().enable(args.get(0))));
    }

    private static String frontend(List<String> args, Command.Context ctx) {
        if (args.isEmpty()) {
            return "A frontend name is expected.\n";
        }
        FrontendModel fe = ctx.control().model().frontend(args.get(0));
        if (fe == null) {
            return "No such frontend.\n";
        }
        if (args.size() < 2) {
            return INTEGER_EXPECTED;
        }
        Integer n = number(args.get(1));
        if (n == null) {
            return INTEGER_EXPECTED;
        }
        if (n < 0) {
            return OUT_OF_RANGE;
        }
        fe.counter().limit(n);
        return "";
    }

    /** Up to the limit the process started with (HAProxy's hard maxconn); 0 goes back to it. */
    private static String global(List<String> args, Command.Context ctx) {
        if (args.isEmpty()) {
            return "Expects an integer value.\n";
        }
        Integer n = number(args.get(0));
        if (n == null) {
            return "Expects an integer value.\n";
        }
        int hard = ctx.control().model().maxConn();
        if (n < 0 || n > hard) {
            return OUT_OF_RANGE;
        }
        ctx.control().model().processCounter().limit(n == 0 ? hard : n);
        return "";
    }

    /**
     * {@code set rate-limit connections|sessions global <n>}: Tether counts both rates where it accepts connections,
     * so the lower of the two that are set holds ({@link ConnCounter#rateLimits}).
     */
    private static String rateLimit(List<String> args, Command.Context ctx) {
        if (args.size() < 2 || !args.get(1).equals("global")
                || !(args.get(0).equals("connections") || args.get(0).equals("sessions"))) {
            return "'set rate-limit' only supports :\n"
                    + "   - 'connections global' to set the per-process maximum connection rate\n"
                    + "   - 'sessions global' to set the per-process maximum session rate\n";
        }
        if (args.size() < 3) {
            return "Expects an integer value.\n";
        }
        Integer n = number(args.get(2));
        if (n == null) {
            return "Expects an integer value.\n";
        }
        if (n < 0) {
            return OUT_OF_RANGE;
        }
        ConnCounter process = ctx.control().model().processCounter();
        if (args.get(0).equals("connections")) {
            process.connRateLimit(n);
        } else {
            process.sessRateLimit(n);
        }
        return "";
    }

    private static Integer number(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
