package dev.tether.check;

import dev.tether.config.BackendOptions;
import dev.tether.config.ProtocolCheckConfig;
import dev.tether.config.TcpCheckRule;
import dev.tether.spi.CheckScript;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What one check of one server does, compiled once at start from the backend's options: a plain check is a single
 * implicit connect; {@code option tcp-check} runs the backend's rules, preceded by an implicit connect when no rule
 * connects (CFG §4.2 tcp-check connect). Connect rules are resolved against the server's check target here, off
 * the event loops (their {@code addr} is an IP literal, so no DNS is involved).
 *
 * <p>A plugin's check type ({@code option pgsql-check}, {@link dev.tether.config.ProtocolCheckConfig}) is a connect
 * (step 1, closed cleanly at the end) followed by its script's steps, numbered from 2.
 *
 * @param steps the steps in order, comments folded into the steps they name
 * @param layer7 whether the ruleset sends or expects anything: success is then L7OK rather than L4OK
 * @param ruleset how reports name the steps' source: {@code tcp-check}, or the plugin check's option name
 */
record CheckPlan(List<Step> steps, boolean layer7, String ruleset) {

    CheckPlan {
        steps = List.copyOf(steps);
    }

    CheckPlan(List<Step> steps, boolean layer7) {
        this(steps, layer7, "tcp-check");
    }

    /**
     * One step. {@code id} is HAProxy's step number as failure reports show it: the 1-based position among the
     * backend's rules (comments included), 0 for an implicit connect. {@code comment} is the step's own comment,
     * else the nearest {@code tcp-check comment} before it, else "".
     */
    sealed interface Step permits Connect, Send, Expect, ProtocolExpect {
        int id();

        String comment();
    }

    record Connect(int id, String comment, InetSocketAddress target, boolean linger, boolean implicit)
            implements Step {
    }

    record Send(int id, String comment, byte[] data) implements Step {
    }

    record Expect(int id, String comment, Expectation expectation) implements Step {
    }

    /** A plugin check's expect step: its response check judges what arrived since the last send. */
    record ProtocolExpect(int id, String comment, CheckScript.Expect expect) implements Step {
    }

    /** The plan for one server; {@code target} is the server's check target (never null). */
    static CheckPlan compile(BackendOptions options, InetSocketAddress target) {
        Objects.requireNonNull(target, "target");
        List<Step> steps = new ArrayList<>();
        ProtocolCheckConfig protocol = options.protocolCheck();
        if (protocol != null) {
            return scripted(protocol.script(), protocol.name(), target);
        }
        if (options.httpCheck().enabled()) {
            return scripted(HttpCheck.script(options.httpCheck()), HttpCheck.RULESET, target);
        }
        if (!options.tcpCheck() || options.tcpCheckRules().isEmpty()) {
            steps.add(new Connect(0, "", target, false, true));
            return new CheckPlan(steps, false);
        }
        List<TcpCheckRule> rules = options.tcpCheckRules();
        boolean anyConnect = false;
        for (TcpCheckRule r : rules) {
            anyConnect |= r instanceof TcpCheckRule.Connect;
        }
        if (!anyConnect) {
            steps.add(new Connect(0, "", target, false, true));
        }
        boolean layer7 = false;
        String lastComment = "";
        for (int i = 0; i < rules.size(); i++) {
            TcpCheckRule r = rules.get(i);
            int id = i + 1;
            String comment = r.comment().isEmpty() ? lastComment : r.comment();
            if (r instanceof TcpCheckRule.Comment c) {
                lastComment = c.comment();
            } else if (r instanceof TcpCheckRule.Connect c) {
                steps.add(new Connect(id, comment, connectTarget(c, target), c.linger(), false));
            } else if (r instanceof TcpCheckRule.Send s) {
                steps.add(new Send(id, comment, s.data()));
                layer7 = true;
            } else if (r instanceof TcpCheckRule.Expect e) {
                steps.add(new Expect(id, comment, Expectation.of(e)));
                layer7 = true;
            }
        }
        return new CheckPlan(steps, layer7);
    }

    /**
     * A check type given as a script (a plugin's, or {@code option httpchk}): a connect, then the script's steps.
     * Numbered as HAProxy numbers its protocol checks' rules: the connect is step 1. Servers log a reset as an
     * error, so these checks close cleanly, as HAProxy's do.
     */
    private static CheckPlan scripted(CheckScript script, String ruleset, InetSocketAddress target) {
        List<Step> steps = new ArrayList<>();
        steps.add(new Connect(1, "", target, true, true));
        int id = 1;
        for (CheckScript.Step s : script.steps()) {
            id++;
            if (s instanceof CheckScript.Send send) {
                steps.add(new Send(id, "", send.data()));
            } else {
                steps.add(new ProtocolExpect(id, "", (CheckScript.Expect) s));
            }
        }
        return new CheckPlan(steps, true, ruleset);
    }

    private static InetSocketAddress connectTarget(TcpCheckRule.Connect c, InetSocketAddress serverTarget) {
        InetAddress host = serverTarget.getAddress();
        if (!c.addr().isEmpty()) {
            try {
                host = InetAddress.getByName(c.addr());
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException(c.location() + ": tcp-check connect addr '" + c.addr()
                        + "' is not an address", e);
            }
        }
        return new InetSocketAddress(host, c.port() > 0 ? c.port() : serverTarget.getPort());
    }
}
