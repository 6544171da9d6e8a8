package dev.tether.runtime;

import dev.tether.config.StatsSocketConfig.Level;
import dev.tether.model.BackendModel;
import dev.tether.model.ConnCounter;
import dev.tether.model.FrontendModel;
import dev.tether.model.RuntimeModel;
import dev.tether.model.ServerModel;
import java.util.List;

/**
 * {@code clear counters [all]}, as in HAProxy: without {@code all} (level operator) the maximum values start again
 * from the current ones (smax, qmax); with it (level admin) every cumulative counter starts again from zero, as after a
 * restart. Current counts (scur, qcur) and server states are never touched.
 */
final class ClearCounters {

    private ClearCounters() {
    }

    static void register(List<Command> all) {
        all.add(new Command(List.of("clear", "counters"), Level.OPERATOR, "clear counters [all]",
                "reset the max values of the counters, or with 'all' (admin) every counter", ClearCounters::run));
    }

    private static String run(List<String> args, Command.Context ctx) {
        boolean everything = !args.isEmpty() && args.get(0).equals("all");
        if (everything && ctx.level() != Level.ADMIN) {
            return Commands.PERMISSION_DENIED;
        }
        RuntimeModel model = ctx.control().model();
        clear(model.processCounter(), everything);
        for (FrontendModel f : model.frontends()) {
            clear(f.counter(), everything);
        }
        for (BackendModel b : model.backends()) {
            clear(b.counter(), everything);
            b.queue().clearMax();
            for (ServerModel s : b.servers()) {
                if (everything) {
                    s.state().clearCounters();
                } else {
                    s.state().connections().clearMax();
                }
            }
        }
        return "";
    }

    private static void clear(ConnCounter c, boolean everything) {
        if (everything) {
            c.clearTotals();
        } else {
            c.clearMax();
        }
    }
}
