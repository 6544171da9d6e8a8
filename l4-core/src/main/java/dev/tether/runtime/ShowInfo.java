package dev.tether.runtime;

import dev.tether.model.BindModel;
import dev.tether.model.ConnCounter;
import dev.tether.model.FrontendModel;
import dev.tether.model.RuntimeModel;
import java.util.List;

/**
 * {@code show info}: one {@code Key: value} line per fact, with HAProxy's key names and in HAProxy's order, so
 * scripts written for it find CurrConns, Uptime_sec and the like. Facts Tether does not track are left out rather
 * than reported as zero.
 */
final class ShowInfo {

    private ShowInfo() {
    }

    static String run(List<String> args, Command.Context ctx) {
        if (!args.isEmpty()) {
            return "'show info " + String.join(" ", args) + "': typed and json output are not supported yet.\n";
        }
        ProcessInfo p = ctx.info();
        long uptimeSec = p.uptimeMillis() / 1000;
        StringBuilder out = new StringBuilder();
        line(out, "Name", "Tether");
        line(out, "Version", p.version());
        line(out, "Process_num", "1");
        line(out, "Pid", Long.toString(p.pid()));
        line(out, "Uptime", uptime(uptimeSec));
        line(out, "Uptime_sec", Long.toString(uptimeSec));
        line(out, "Maxconn", Integer.toString(ctx.control().model().processCounter().limit()));
        line(out, "Hard_maxconn", Integer.toString(p.maxConn()));
        ConnCounter process = ctx.control().model().processCounter();
        line(out, "ConnRateLimit", Integer.toString(process.connRateLimit()));
        line(out, "SessRateLimit", Integer.toString(process.sessRateLimit()));
        line(out, "CurrConns", Integer.toString(p.currentConns()));
        line(out, "CumConns", Long.toString(p.cumulativeConns()));
        line(out, "Listeners", Integer.toString(listeners(ctx.control().model())));
        line(out, "Start_time_sec", Long.toString(p.startMillis() / 1000));
        line(out, "CurrStreams", Integer.toString(p.liveSessions()));
        return out.toString();
    }

    private static void line(StringBuilder out, String key, String value) {
        out.append(key).append(": ").append(value).append('\n');
    }

    /** HAProxy's format: {@code 2d 3h04m05s}. */
    static String uptime(long seconds) {
        return String.format("%dd %dh%02dm%02ds", seconds / 86400, (seconds / 3600) % 24, (seconds / 60) % 60,
                seconds % 60);
    }

    private static int listeners(RuntimeModel model) {
        int n = 0;
        for (FrontendModel f : model.frontends()) {
            for (BindModel b : f.binds()) {
                n += b.addresses().size();
            }
        }
        return n;
    }
}
