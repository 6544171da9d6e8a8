package dev.tether.config;

import static dev.tether.config.Section.BACKEND;
import static dev.tether.config.Section.DEFAULTS;
import static dev.tether.config.Section.FRONTEND;
import static dev.tether.config.Section.LISTEN;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Keywords of persistence and inspection (issue 5; reference §3, §7): {@code stick-table}, {@code stick} rules,
 * {@code tcp-request}/{@code tcp-response} rules and inspect delays, {@code force-persist} and
 * {@code ignore-persist}. They only parse into {@link PersistenceConfig}; sample expressions stay text for the
 * samples layer to compile, and the cross-references between sections are checked once every section is read
 * ({@link ConfigParser}).
 */
final class PersistenceKeywords {

    private static final Set<Section> FL = EnumSet.of(FRONTEND, LISTEN);
    private static final Set<Section> LB = EnumSet.of(LISTEN, BACKEND);
    private static final Set<Section> FLB = EnumSet.of(FRONTEND, LISTEN, BACKEND);
    private static final Set<Section> DFL = EnumSet.of(DEFAULTS, FRONTEND, LISTEN);
    private static final Set<Section> DFLB = EnumSet.of(DEFAULTS, FRONTEND, LISTEN, BACKEND);
    private static final Set<Section> DLB = EnumSet.of(DEFAULTS, LISTEN, BACKEND);

    /** HAProxy's TCP rule actions Tether does not run yet; the name is the part before any '('. */
    private static final Set<String> LATER_ACTIONS = Set.of("expect-netscaler-cip", "capture",
            "sc-inc-gpc0", "sc-inc-gpc1", "sc-inc-gpc", "sc-add-gpc", "sc-set-gpt0", "sc-set-gpt", "set-var",
            "set-var-fmt", "unset-var", "set-src", "set-src-port", "set-dst", "set-dst-port", "set-fc-mark",
            "set-fc-tos", "set-mark", "set-tos", "set-bc-mark", "set-bc-tos", "silent-drop", "do-log", "do-resolve",
            "set-priority-class", "set-priority-offset", "set-retries", "set-log-level", "set-nice",
            "set-bandwidth-limit", "send-spoe-group", "use-service", "close", "attach-srv");

    /** Stick table data types HAProxy has and Tether refuses, with the reason. */
    private static final List<String[]> REFUSED_STORE = List.of(
            new String[] {"http_", StandardKeywords.TCP_ONLY},
            new String[] {"gpc0_rate", StandardKeywords.NOT_YET},
            new String[] {"gpc1_rate", StandardKeywords.NOT_YET},
            new String[] {"gpc_rate", StandardKeywords.NOT_YET},
            new String[] {"gpc", StandardKeywords.NOT_YET},
            new String[] {"gpt", StandardKeywords.NOT_YET},
            new String[] {"glitch_", StandardKeywords.NOT_YET},
            new String[] {"server_key", StandardKeywords.NOT_YET},
            new String[] {"server_name", StandardKeywords.NOT_YET});

    /** stick-table options HAProxy has and Tether does not support yet. */
    private static final Set<String> LATER_TABLE_OPTIONS = Set.of("srvkey", "write-to", "brates-factor",
            "recv-only");

    private PersistenceKeywords() {
    }

    static void register(KeywordRegistry.Builder b) {
        b.add("stick-table", FLB, "the section's stick table: type, size, expire, nopurge, stored data",
                PersistenceKeywords::stickTable);
        stick(b, "match", StickRuleConfig.Kind.MATCH, "send to the server a table entry names for the pattern");
        stick(b, "on", StickRuleConfig.Kind.ON, "stick match, then store the server once connected");
        stick(b, "store-request", StickRuleConfig.Kind.STORE_REQUEST,
                "store the server for a request pattern once connected");
        stick(b, "store-response", StickRuleConfig.Kind.STORE_RESPONSE,
                "store the server for a pattern of the server's first bytes");
        rule(b, "tcp-request connection", DFL, TcpRuleConfig.Phase.CONNECTION,
                "accept, reject or track a connection before reading it");
        rule(b, "tcp-request session", DFL, TcpRuleConfig.Phase.SESSION,
                "accept, reject or track a session once its PROXY header is read, before its content");
        rule(b, "tcp-request content", DFLB, TcpRuleConfig.Phase.CONTENT,
                "accept, reject or track once the client's first bytes are in (or the delay ends)");
        b.add(new Keyword("tcp-request inspect-delay", DFLB, "longest wait for client data before tcp-request"
                + " content rules decide", false, true, (d, s) -> {
                    d.expectArgs(1, "<time>");
                    s.proxy().inspectDelay(false, d.timeArg(0), d.location(), s);
                }));
        rule(b, "tcp-response content", DLB, TcpRuleConfig.Phase.RESPONSE_CONTENT,
                "accept or reject once the server's first bytes are in (or the delay ends)");
        b.add(new Keyword("tcp-response inspect-delay", DLB, "longest wait for server data before tcp-response"
                + " content rules decide", false, true, (d, s) -> {
                    d.expectArgs(1, "<time>");
                    s.proxy().inspectDelay(true, d.timeArg(0), d.location(), s);
                }));
        persist(b, "force-persist", true, "use a persistent server even when it is down, if a condition matches");
        persist(b, "ignore-persist", false, "ignore persistence when a condition matches");
    }

    private static void stick(KeywordRegistry.Builder b, String word, StickRuleConfig.Kind kind, String summary) {
        b.add("stick " + word, LB, summary, (d, s) -> stickRule(d, s, kind));
    }

    private static void rule(KeywordRegistry.Builder b, String name, Set<Section> where, TcpRuleConfig.Phase phase,
            String summary) {
        b.add(new Keyword(name, where, summary, false, true, (d, s) -> tcpRule(d, s, phase)));
    }

    private static void persist(KeywordRegistry.Builder b, String name, boolean force, String summary) {
        b.add(name, LB, summary, (d, s) -> {
            if (d.argCount() == 0) {
                throw d.error("expects if|unless <condition>");
            }
            ConditionConfig condition = AclParser.condition(d, 0, s);
            s.proxy().addPersistRule(new PersistenceConfig.PersistRuleConfig(d.location(), force, condition));
        });
    }

    // ---- stick-table ----

    private static void stickTable(Directive d, ParseState s) throws ConfigException {
        StickTableConfig existing = s.proxy().persistence().table();
        if (existing != null) {
            throw d.error("is already declared in this section at " + existing.location() + " (one table per"
                    + " section; declare more in backends that hold only a table)");
        }
        s.proxy().stickTable(table(d, 0, s.proxy().name()));
    }

    /**
     * A table's options from {@code d}'s word {@code from} on: a proxy's {@code stick-table}, or a peers section's
     * {@code table <name>}.
     */
    static StickTableConfig table(Directive d, int from, String name) throws ConfigException {
        StickTableConfig.KeyType type = null;
        int keyLength = 0;
        long size = -1;
        long expire = 0;
        boolean noPurge = false;
        List<StickTableConfig.StoreType> store = new ArrayList<>();
        String peers = "";
        int i = from;
        while (i < d.argCount()) {
            String w = d.arg(i);
            switch (w) {
                case "type":
                    type = keyType(d, value(d, i, "<type>"));
                    i += 2;
                    // HAProxy's defaults: 32 bytes for binary keys, and 32 for strings counting the terminating
                    // zero, so 31 characters (seen in its show table, and the size its peers announce)
                    keyLength = type == StickTableConfig.KeyType.STRING ? 31
                            : type == StickTableConfig.KeyType.BINARY ? 32 : 0;
                    if (i < d.argCount() && d.arg(i).equals("len")) {
                        if (keyLength == 0) {
                            throw d.error("'len' applies to string and binary keys only");
                        }
                        keyLength = positive(d, "len", value(d, i, "<length>"));
                        i += 2;
                    }
                    break;
                case "len":
                    throw d.error("'len' must follow 'type string' or 'type binary'");
                case "size":
                    size = size(d, value(d, i, "<entries>"));
                    i += 2;
                    break;
                case "expire":
                    value(d, i, "<time>");
                    expire = d.timeArg(i + 1);
                    i += 2;
                    break;
                case "nopurge":
                    noPurge = true;
                    i++;
                    break;
                case "store":
                    store(d, value(d, i, "<type>[,<type>...]"), store);
                    i += 2;
                    break;
                case "peers":
                    peers = value(d, i, "<peers section>");
                    i += 2;
                    break;
                default:
                    throw unknownOption(d, w);
            }
        }
        if (type == null) {
            throw d.error("needs 'type ip|ipv6|integer|string|binary'");
        }
        if (size < 0) {
            throw d.error("needs 'size <entries>'");
        }
        return new StickTableConfig(d.location(), name, type, keyLength, size, expire, noPurge, store, peers);
    }

    /** The word after option {@code args[i]}, or an error naming what it should be. */
    private static String value(Directive d, int i, String what) throws ConfigException {
        if (i + 1 >= d.argCount()) {
            throw d.error("'" + d.arg(i) + "' expects " + what);
        }
        return d.arg(i + 1);
    }

    private static ConfigException unknownOption(Directive d, String w) {
        if (LATER_TABLE_OPTIONS.contains(w)) {
            return d.error("'" + w + "' " + StandardKeywords.NOT_YET);
        }
        return d.error("expects type, size, expire, nopurge, store or peers, found '" + w + "'");
    }

    private static StickTableConfig.KeyType keyType(Directive d, String t) throws ConfigException {
        switch (t) {
            case "ip":
            case "ipv4":
                return StickTableConfig.KeyType.IP;
            case "ipv6":
                return StickTableConfig.KeyType.IPV6;
            case "integer":
                return StickTableConfig.KeyType.INTEGER;
            case "string":
                return StickTableConfig.KeyType.STRING;
            case "binary":
                return StickTableConfig.KeyType.BINARY;
            default:
                throw d.error("type '" + t + "' is not one of ip, ipv4, ipv6, integer, string, binary");
        }
    }

    private static int positive(Directive d, String option, String text) throws ConfigException {
        int n;
        try {
            n = Units.parseCount(text);
        } catch (IllegalArgumentException e) {
            throw d.error("'" + option + "' expects a positive number, found '" + text + "'");
        }
        if (n <= 0) {
            throw d.error("'" + option + "' expects a positive number, found '" + text + "'");
        }
        return n;
    }

    private static long size(Directive d, String text) throws ConfigException {
        long n;
        try {
            n = Units.parseSize(text);
        } catch (IllegalArgumentException e) {
            throw d.error("'size' expects a number of entries (k, m and g multiply by 1024), found '" + text
                    + "'");
        }
        if (n <= 0 || n > Integer.MAX_VALUE) {
            throw d.error("'size' expects a number of entries from 1 to 2147483647, found '" + text + "'");
        }
        return n;
    }

    /** {@code store a,b(10s),...}, appended to {@code out}; repeated {@code store} options add up. */
    private static void store(Directive d, String list, List<StickTableConfig.StoreType> out)
            throws ConfigException {
        for (String item : list.split(",", -1)) {
            String name = item;
            String period = null;
            int open = item.indexOf('(');
            if (open >= 0) {
                if (!item.endsWith(")")) {
                    throw d.error("'store' type '" + item + "' lacks its closing ')'");
                }
                name = item.substring(0, open);
                period = item.substring(open + 1, item.length() - 1);
            }
            if (name.isEmpty()) {
                throw d.error("'store' expects <type>[,<type>...], found '" + list + "'");
            }
            StickTableConfig.DataType type = dataType(d, name);
            long periodMillis = 0;
            if (type.rate()) {
                if (period == null || period.isEmpty()) {
                    throw d.error("'store' type '" + name + "' needs a period: " + name + "(<period>)");
                }
                try {
                    periodMillis = Units.parseTime(period);
                } catch (IllegalArgumentException e) {
                    throw d.error("'store' type '" + name + "': " + e.getMessage());
                }
                if (periodMillis == 0) {
                    throw d.error("'store' type '" + name + "' needs a period above 0");
                }
            } else if (period != null) {
                throw d.error("'store' type '" + name + "' takes no period");
            }
            for (StickTableConfig.StoreType s : out) {
                if (s.type() == type) {
                    throw d.error("'store' lists '" + name + "' twice");
                }
            }
            out.add(new StickTableConfig.StoreType(type, periodMillis));
        }
    }

    private static StickTableConfig.DataType dataType(Directive d, String name) throws ConfigException {
        for (StickTableConfig.DataType t : StickTableConfig.DataType.values()) {
            if (t.keyword().equals(name)) {
                return t;
            }
        }
        for (String[] r : REFUSED_STORE) {
            boolean family = r[0].endsWith("_");
            if (family ? name.startsWith(r[0]) : name.equals(r[0])) {
                throw d.error("'store' type '" + name + "' " + r[1]);
            }
        }
        List<String> known = new ArrayList<>();
        for (StickTableConfig.DataType t : StickTableConfig.DataType.values()) {
            known.add(t.keyword());
        }
        throw d.error("'store' type '" + name + "' is not a data type (known: " + String.join(", ", known) + ")");
    }

    // ---- stick rules ----

    private static void stickRule(Directive d, ParseState s, StickRuleConfig.Kind kind) throws ConfigException {
        if (d.argCount() == 0) {
            throw d.error("expects <pattern> [table <name>] [if|unless <condition>]");
        }
        String expression = expression(d, 0, "a pattern");
        int i = 1;
        String table = "";
        if (i < d.argCount() && d.arg(i).equals("table")) {
            table = tableName(d, i);
            i += 2;
        }
        ConditionConfig condition = condition(d, i, s, "[table <name>] [if|unless <condition>]");
        s.proxy().addStickRule(new StickRuleConfig(d.location(), kind, expression, table, condition));
    }

    /** A sample expression as one word; "if", "unless" and "table" there mean the expression was left out. */
    private static String expression(Directive d, int i, String what) throws ConfigException {
        String e = d.arg(i);
        if (e.isEmpty() || e.equals("if") || e.equals("unless") || e.equals("table")) {
            throw d.error("expects " + what + " before '" + e + "'");
        }
        return e;
    }

    /** The name after {@code table} at {@code args[i]}. */
    private static String tableName(Directive d, int i) throws ConfigException {
        if (i + 1 >= d.argCount()) {
            throw d.error("expects a table name after 'table'");
        }
        String name = d.arg(i + 1);
        int slash = name.indexOf('/');
        // <section> or <peers>/<table>: checked against the sections once every one is read
        if (slash < 0 ? !AclParser.isValidName(name) : !AclParser.isValidName(name.substring(0, slash))
                || !AclParser.isValidName(name.substring(slash + 1))) {
            throw d.error("table '" + name + "' is not a valid section name"
                    + (slash < 0 ? "" : " (<peers section>/<table>)"));
        }
        return name;
    }

    /** The optional condition starting at {@code args[i]}; anything else there is an error naming {@code after}. */
    private static ConditionConfig condition(Directive d, int i, ParseState s, String after) throws ConfigException {
        if (i >= d.argCount()) {
            return ConditionConfig.NONE;
        }
        String w = d.arg(i);
        if (!w.equals("if") && !w.equals("unless")) {
            throw d.error("expects " + after + " after '" + d.arg(i - 1) + "', found '" + w + "'");
        }
        return AclParser.condition(d, i, s);
    }

    // ---- tcp-request / tcp-response ----

    private static void tcpRule(Directive d, ParseState s, TcpRuleConfig.Phase phase) throws ConfigException {
        boolean response = phase == TcpRuleConfig.Phase.RESPONSE_CONTENT;
        String actions = response ? "accept or reject" : "accept, reject or track-sc0..2";
        if (d.argCount() == 0) {
            throw d.error("expects an action: " + actions);
        }
        String action = d.arg(0);
        TcpRuleConfig.Action a;
        int counter = -1;
        String key = "";
        String table = "";
        int i = 1;
        String tail = "[if|unless <condition>]";
        if (action.equals("accept")) {
            a = TcpRuleConfig.Action.ACCEPT;
        } else if (action.equals("reject")) {
            a = TcpRuleConfig.Action.REJECT;
        } else if (phase == TcpRuleConfig.Phase.CONNECTION && action.equals("expect-proxy")) {
            if (d.argCount() < 2 || !d.arg(1).equals("layer4")) {
                throw d.error("action 'expect-proxy' expects 'layer4'");
            }
            a = TcpRuleConfig.Action.EXPECT_PROXY;
            i = 2;
        } else if (!response && action.startsWith("track-sc")) {
            a = TcpRuleConfig.Action.TRACK_SC;
            counter = counter(d, action);
            if (d.argCount() < 2) {
                throw d.error("'" + action + "' expects <key> [table <name>]");
            }
            key = expression(d, 1, "a key for '" + action + "'");
            i = 2;
            if (i < d.argCount() && d.arg(i).equals("table")) {
                table = tableName(d, i);
                i += 2;
            }
            tail = "[table <name>] [if|unless <condition>]";
        } else {
            throw unsupported(d, action, actions);
        }
        ConditionConfig condition = condition(d, i, s, tail);
        s.proxy().addTcpRule(new TcpRuleConfig(d.location(), phase, a, counter, key, table, condition));
    }

    private static int counter(Directive d, String action) throws ConfigException {
        String n = action.substring("track-sc".length());
        if (n.equals("0") || n.equals("1") || n.equals("2")) {
            return n.charAt(0) - '0';
        }
        throw d.error("action '" + action + "' names a counter Tether does not have (track-sc0, track-sc1 or"
                + " track-sc2)");
    }

    private static ConfigException unsupported(Directive d, String action, String actions) {
        int paren = action.indexOf('(');
        String name = paren > 0 ? action.substring(0, paren) : action;
        if (name.equals("switch-mode")) {
            return d.error("action 'switch-mode' " + StandardKeywords.TCP_ONLY);
        }
        if (name.startsWith("track-sc")) {
            return d.error("action '" + name + "' is not available in tcp-response rules (only in tcp-request)");
        }
        if (LATER_ACTIONS.contains(name) || name.startsWith("lua.")) {
            return d.error("action '" + name + "' " + StandardKeywords.NOT_YET);
        }
        return d.error("expects " + actions + ", found '" + action + "'");
    }
}
