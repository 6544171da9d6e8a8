package dev.tether.config;

import dev.tether.plugin.KnownPlugins;
import dev.tether.plugin.Plugins;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads lines into sections and hands every keyword line to its registered handler; then checks what HAProxy
 * checks once everything is read (CFG §4: names, references, binds). One instance per load; files are fed in
 * order, so a proxy in a later file inherits from the last defaults of an earlier one, as with repeated -f.
 */
final class ConfigParser {

    private final KeywordRegistry registry;
    private final List<ConfigNotice> notices = new ArrayList<>();
    private final Plugins plugins;
    private final ParseState state;
    private final Map<String, ProxyBuilder> namedDefaults = new HashMap<>();
    private final List<ProxyBuilder> proxies = new ArrayList<>();
    private final List<PeersBuilder> peersSections = new ArrayList<>();
    private final List<ResolversBuilder> resolversSections = new ArrayList<>();
    private final List<MailersBuilder> mailersSections = new ArrayList<>();
    private final List<RingBuilder> ringSections = new ArrayList<>();
    private ProxyBuilder lastDefaults;
    private Section current;
    /** Inside a section Tether reads nothing of (an HTTP-only one): its lines are skipped until the next section. */
    private boolean skipping;
    /** The environment ${VAR} expands from, as the environment keywords leave it; made at the first file. */
    private Map<String, String> env;

    ConfigParser(Plugins plugins) {
        this.plugins = plugins;
        this.registry = PluginKeywords.registry(plugins);
        this.state = new ParseState(notices, plugins);
    }

    /** Parses one file's text; {@code file} is null for a string source. */
    void parse(String sourceName, String text, Map<String, String> env, Path file) throws ConfigException {
        state.currentFile(file);
        current = null;
        state.closeProxy();
        if (this.env == null) {
            // setenv and its family change it for the rest of the load, every later file included
            this.env = new HashMap<>(env);
        }
        skipping = false;
        for (ConfigLine line : Preprocessor.lines(sourceName, text, this.env, notices)) {
            if (section(line)) {
                continue;
            }
            if (!skipping) {
                keyword(line);
            }
        }
    }

    /** Every section keyword, those Tether reads and those it refuses or skips. */
    private static final java.util.Set<String> SECTIONS = java.util.Set.of("global", "defaults", "frontend", "backend",
            "listen", "peers", "resolvers", "mailers", "userlist", "ring", "program", "log-forward", "crt-store",
            "traces", "acme", "cache", "http-errors");

    private boolean section(ConfigLine line) throws ConfigException {
        String first = line.words().get(0);
        List<String> args = line.words().subList(1, line.words().size());
        Location at = line.location();
        if (SECTIONS.contains(first)) {
            skipping = false;
        }
        switch (first) {
            case "global":
                if (!args.isEmpty()) {
                    throw new ConfigException(at, first, "takes no argument, found '" + args.get(0) + "'");
                }
                current = Section.GLOBAL;
                state.closeProxy();
                return true;
            case "defaults":
                defaults(at, args);
                return true;
            case "frontend":
                proxy(at, Section.FRONTEND, args);
                return true;
            case "backend":
                proxy(at, Section.BACKEND, args);
                return true;
            case "listen":
                proxy(at, Section.LISTEN, args);
                return true;
            case "peers":
                peers(at, args);
                return true;
            case "resolvers":
                resolvers(at, args);
                return true;
            case "mailers":
                mailers(at, args);
                return true;
            case "ring":
                ring(at, args);
                return true;
            case "program":
            case "log-forward":
            case "crt-store":
            case "traces":
            case "acme":
                throw new ConfigException(at, first, "sections are not supported yet");
            case "userlist":
            case "cache":
            case "http-errors":
                // they serve HTTP proxies only (authentication, caching, error pages), which Tether does not run
                state.notice(at, "'" + first + "' section" + (args.isEmpty() ? "" : " '" + args.get(0) + "'")
                        + " is HTTP-only and ignored, with its lines: Tether's proxies are TCP");
                current = null;
                state.closeProxy();
                skipping = true;
                return true;
            default:
                return false;
        }
    }

    private void defaults(Location at, List<String> args) throws ConfigException {
        String name = "";
        String from = null;
        int i = 0;
        if (i < args.size() && !args.get(i).equals("from")) {
            name = args.get(i++);
            checkName(at, "defaults", name);
        }
        if (i < args.size()) {
            if (!args.get(i).equals("from") || i + 1 >= args.size()) {
                throw new ConfigException(at, "defaults", "expects [<name>] [from <defaults>]");
            }
            from = args.get(i + 1);
            i += 2;
        }
        if (i < args.size()) {
            throw new ConfigException(at, "defaults", "has unexpected '" + args.get(i) + "'");
        }
        ProxyBuilder d = new ProxyBuilder(Section.DEFAULTS, name, at);
        // A defaults section starts from the documented defaults (CFG §4), not from the previous defaults.
        if (from != null) {
            d.inheritFrom(namedDefaults(at, "defaults", from));
        }
        if (!name.isEmpty()) {
            ProxyBuilder previous = namedDefaults.put(name, d);
            if (previous != null) {
                throw new ConfigException(at, "defaults", "name '" + name + "' is already used by the defaults"
                        + " section at " + previous.location());
            }
        }
        lastDefaults = d;
        current = Section.DEFAULTS;
        state.openProxy(d, name);
    }

    private void proxy(Location at, Section section, List<String> args) throws ConfigException {
        String kw = section.keyword();
        if (args.isEmpty()) {
            throw new ConfigException(at, kw, "expects a name");
        }
        String name = args.get(0);
        checkName(at, kw, name);
        ProxyBuilder defaults = lastDefaults;
        if (args.size() > 1) {
            if (!args.get(1).equals("from") || args.size() != 3) {
                throw new ConfigException(at, kw, "expects <name> [from <defaults>], found '"
                        + String.join(" ", args) + "'");
            }
            defaults = namedDefaults(at, kw, args.get(2));
        }
        ProxyBuilder p = new ProxyBuilder(section, name, at);
        if (defaults != null) {
            p.inheritFrom(defaults);
            p.inheritTcpRules(defaults);
        }
        proxies.add(p);
        current = section;
        state.openProxy(p, "");
    }

    /** The one word after a section keyword that takes a name and nothing else (peers, resolvers, mailers), checked. */
    private static String sectionName(Location at, String kw, List<String> args) throws ConfigException {
        if (args.size() != 1) {
            throw new ConfigException(at, kw, "expects a name");
        }
        checkName(at, kw, args.get(0));
        return args.get(0);
    }

    private void peers(Location at, List<String> args) throws ConfigException {
        String name = sectionName(at, "peers", args);
        for (PeersBuilder p : peersSections) {
            if (p.name().equals(name)) {
                throw new ConfigException(at, "peers", "name '" + name + "' is already used by another peers"
                        + " section");
            }
        }
        PeersBuilder p = new PeersBuilder(at, name);
        peersSections.add(p);
        current = Section.PEERS;
        state.openPeers(p);
    }

    private void resolvers(Location at, List<String> args) throws ConfigException {
        String name = sectionName(at, "resolvers", args);
        for (ResolversBuilder r : resolversSections) {
            if (r.name().equals(name)) {
                throw new ConfigException(at, "resolvers", "name '" + name + "' is already used by the resolvers"
                        + " section at " + r.location());
            }
        }
        ResolversBuilder r = new ResolversBuilder(at, name);
        resolversSections.add(r);
        current = Section.RESOLVERS;
        state.openResolvers(r);
    }

    private void mailers(Location at, List<String> args) throws ConfigException {
        String name = sectionName(at, "mailers", args);
        for (MailersBuilder m : mailersSections) {
            if (m.name().equals(name)) {
                throw new ConfigException(at, "mailers", "name '" + name + "' is already used by the mailers"
                        + " section at " + m.location());
            }
        }
        MailersBuilder m = new MailersBuilder(at, name);
        mailersSections.add(m);
        current = Section.MAILERS;
        state.openMailers(m);
    }

    private void ring(Location at, List<String> args) throws ConfigException {
        String name = sectionName(at, "ring", args);
        for (RingBuilder r : ringSections) {
            if (r.name().equals(name)) {
                throw new ConfigException(at, "ring", "name '" + name + "' is already used by the ring section at "
                        + r.location());
            }
        }
        RingBuilder r = new RingBuilder(at, name);
        ringSections.add(r);
        current = Section.RING;
        state.openRing(r);
    }

    private ProxyBuilder namedDefaults(Location at, String kw, String name) throws ConfigException {
        ProxyBuilder d = namedDefaults.get(name);
        if (d == null) {
            throw new ConfigException(at, kw, "inherits from 'defaults " + name + "', which is not declared"
                    + " before this line");
        }
        return d;
    }

    private static void checkName(Location at, String kw, String name) throws ConfigException {
        if (!AclParser.isValidName(name)) {
            throw new ConfigException(at, kw, "name '" + name + "' may only contain letters, digits, '-', '_',"
                    + " '.' and ':'");
        }
    }

    private void keyword(ConfigLine line) throws ConfigException {
        List<String> words = line.words();
        Location at = line.location();
        boolean negated = false;
        if (words.get(0).equals("no") && words.size() > 1) {
            negated = true;
            words = words.subList(1, words.size());
        }
        String one = words.get(0);
        if (current == null) {
            throw new ConfigException(at, one, "appears before any section (expected global, defaults, frontend,"
                    + " backend, listen, peers, resolvers, mailers or ring)");
        }
        String two = words.size() > 1 ? one + " " + words.get(1) : null;
        if (two != null) {
            List<Keyword> found = registry.lookup(two);
            if (!found.isEmpty()) {
                apply(found, at, two, words.subList(2, words.size()), negated);
                return;
            }
        }
        if (one.equals("option") && two != null) {
            String notLoaded = KnownPlugins.notLoaded(KnownPlugins.Kind.CHECK, words.get(1));
            if (notLoaded != null) {
                throw new ConfigException(at, two, notLoaded);
            }
        }
        KeywordRegistry.Refusal refusal = registry.refusal(one, two);
        if (refusal != null && refusal.words() == 2) {
            if (skipOrDeferHttpOnly(at, two, refusal)) {
                return;
            }
            throw refused(at, two, refusal);
        }
        List<Keyword> found = registry.lookup(one);
        if (!found.isEmpty() && (refusal == null || found.stream().anyMatch(k -> k.sections().contains(current)))) {
            apply(found, at, one, words.subList(1, words.size()), negated);
            return;
        }
        if (refusal != null) {
            if (skipOrDeferHttpOnly(at, one, refusal)) {
                return;
            }
            throw refused(at, one, refusal);
        }
        List<String> family = registry.family(one, current);
        if (!family.isEmpty() && two == null) {
            throw new ConfigException(at, one, "expects one of " + String.join(", ", family));
        }
        String written = family.isEmpty() ? one : two;
        String suggestion = registry.suggest(two != null && (one.equals("option") || one.equals("timeout")
                || !family.isEmpty()) ? two : one, current);
        throw new ConfigException(at, written, "is not a known keyword in a " + current.keyword() + " section"
                + (suggestion == null ? "" : " (did you mean '" + suggestion + "'?)"));
    }

    /**
     * Whether an HTTP-only keyword is let through here. In a defaults section (Debian's haproxy.cfg starts with
     * {@code mode http}, {@code option httplog} and {@code errorfile} lines) it concerns only HTTP proxies, which
     * Tether has none of: it is noted and skipped, as HAProxy skips HTTP settings in its TCP proxies (a proxy that
     * inherits {@code mode http} itself must say {@code mode tcp}, or serve the statistics page). In a frontend or
     * listen section the verdict waits for the section's end: ignored where the section serves the statistics page,
     * refused otherwise ({@link #finish}).
     */
    private boolean skipOrDeferHttpOnly(Location at, String written, KeywordRegistry.Refusal refusal) {
        if (!refusal.reason().equals(StandardKeywords.TCP_ONLY)) {
            return false;
        }
        if (current == Section.DEFAULTS) {
            state.notice(at, "'" + written + "' is HTTP-only and ignored: Tether's proxies are TCP");
            return true;
        }
        if (current == Section.FRONTEND || current == Section.LISTEN) {
            // fine in a section that turns out to serve the statistics page (option httplog there), refused in
            // any other once the section is read (finish)
            state.proxy().httpOnlyKeyword(at, written);
            return true;
        }
        return false;
    }

    private ConfigException refused(Location at, String written, KeywordRegistry.Refusal refusal) {
        String detail = refusal.reason();
        if (refusal.pattern().endsWith(" *")) {
            String suggestion = registry.suggest(written, current);
            if (suggestion != null) {
                detail += " (did you mean '" + suggestion + "'?)";
            }
        }
        return new ConfigException(at, written, detail);
    }

    private void apply(List<Keyword> candidates, Location at, String written, List<String> args, boolean negated)
            throws ConfigException {
        Keyword keyword = null;
        Set<Section> allowed = new LinkedHashSet<>();
        for (Keyword k : candidates) {
            allowed.addAll(k.sections());
            if (k.sections().contains(current)) {
                keyword = k;
            }
        }
        if (keyword == null) {
            List<String> where = new ArrayList<>();
            for (Section s : Section.values()) {
                if (allowed.contains(s)) {
                    where.add(s.keyword());
                }
            }
            throw new ConfigException(at, written, "is not allowed in a " + current.keyword() + " section (allowed in "
                    + String.join(", ", where) + ")");
        }
        if (negated && !keyword.negatable()) {
            throw new ConfigException(at, written, "has no 'no' form");
        }
        if (current == Section.DEFAULTS && keyword.namedDefaultsOnly() && state.defaultsName().isEmpty()) {
            throw new ConfigException(at, written, "is only allowed in named defaults sections (write 'defaults"
                    + " <name>'), as in HAProxy");
        }
        keyword.handler().handle(new Directive(at, current, written, CheckWords.forKeyword(keyword.name(), args),
                negated), state);
    }

    /** Builds the configuration and runs the checks that need every section. */
    TetherConfig finish() throws ConfigException {
        GlobalConfig global = state.global().build();
        List<ProxyConfig> built = new ArrayList<>();
        List<ProxyBuilder> proxying = new ArrayList<>();
        List<StatsPageConfig> statsPages = new ArrayList<>();
        for (ProxyBuilder p : proxies) {
            if (p.servesStatsPage()) {
                statsPages.add(p.buildStatsPage());
                if (p.httpOnlyKeywordAt() != null) {
                    notices.add(new ConfigNotice(p.httpOnlyKeywordAt(), "'" + p.httpOnlyKeyword() + "' is ignored:"
                            + " the statistics page has no HTTP options"));
                }
            } else {
                if (p.httpOnlyKeywordAt() != null) {
                    throw new ConfigException(p.httpOnlyKeywordAt(), p.httpOnlyKeyword(), StandardKeywords.TCP_ONLY);
                }
                proxying.add(p);
                built.add(p.build(global));
            }
        }
        List<PeersConfig> peers = new ArrayList<>();
        for (PeersBuilder p : peersSections) {
            peers.add(p.build());
        }
        List<ResolversConfig> resolvers = new ArrayList<>();
        for (ResolversBuilder r : resolversSections) {
            ResolversConfig section = r.build();
            if (section.nameservers().isEmpty()) {
                notices.add(new ConfigNotice(r.location(), "resolvers section '" + r.name() + "' has no nameserver:"
                        + " the servers that name it keep the address they had at start"));
            }
            resolvers.add(section);
        }
        List<MailersConfig> mailers = new ArrayList<>();
        for (MailersBuilder m : mailersSections) {
            mailers.add(m.build());
        }
        List<RingConfig> rings = new ArrayList<>();
        for (RingBuilder r : ringSections) {
            rings.add(r.build());
        }
        checkRings(global.logs(), rings);
        checkNames(built);
        for (int k = 0; k < built.size(); k++) {
            ProxyConfig p = built.get(k);
            checkReferences(p, proxying.get(k), built);
            checkServers(p);
            checkResolvers(p, resolvers);
            checkRings(p.logs(), rings);
            checkTables(p, built, peers);
            if (p.kind().hasBackend()) {
                checkTcpChecks(p);
                checkExternalCheck(p, global);
                checkEmailAlert(p, mailers);
                checkTracks(p, built);
            }
            if (p.kind().hasFrontend() && p.binds().isEmpty()) {
                throw new ConfigException(p.location(), p.kind().keyword(), "'" + p.name() + "' has no 'bind' line"
                        + (p.kind() == ProxyKind.FRONTEND ? "" : "; declare it as a backend if no client connects"
                        + " to it directly"));
            }
            timeoutNotices(p);
        }
        return new TetherConfig(global, built, notices, plugins, peers, statsPages, resolvers, mailers, rings);
    }

    /** Every {@code log ring@<name>} target names a declared ring section. */
    private static void checkRings(List<LogTargetConfig> logs, List<RingConfig> rings) throws ConfigException {
        for (LogTargetConfig l : logs) {
            if (l.address().startsWith("ring@")) {
                String name = l.address().substring(5);
                if (rings.stream().noneMatch(r -> r.name().equals(name))) {
                    throw new ConfigException(l.location(), "log", "target '" + l.address() + "' names ring '"
                            + name + "', which is not declared");
                }
            }
        }
    }

    /**
     * Every {@code resolvers} a server names must be a declared section. A server whose address is an IP address has
     * nothing to resolve and is left alone, without a word: {@code default-server resolvers} over a mix of names and
     * addresses is common, as in HAProxy.
     */
    private static void checkResolvers(ProxyConfig p, List<ResolversConfig> resolvers) throws ConfigException {
        for (ServerConfig s : p.servers()) {
            String name = s.options().resolve().resolvers();
            if (!name.isEmpty() && resolvers.stream().noneMatch(r -> r.name().equals(name))) {
                throw new ConfigException(s.location(), "resolvers", "server '" + s.name() + "' names resolvers"
                        + " section '" + name + "', which is not declared");
            }
        }
    }

    private static void checkNames(List<ProxyConfig> built) throws ConfigException {
        for (int a = 0; a < built.size(); a++) {
            for (int b = 0; b < a; b++) {
                ProxyConfig x = built.get(a);
                ProxyConfig y = built.get(b);
                boolean overlap = (x.kind().hasFrontend() && y.kind().hasFrontend())
                        || (x.kind().hasBackend() && y.kind().hasBackend());
                if (overlap && x.name().equals(y.name())) {
                    throw new ConfigException(x.location(), x.kind().keyword(), "name '" + x.name()
                            + "' is already used by the " + y.kind().keyword() + " section at " + y.location());
                }
            }
        }
    }

    private void checkReferences(ProxyConfig p, ProxyBuilder builder, List<ProxyConfig> all) throws ConfigException {
        for (UseServerConfig u : p.useServers()) {
            if (!u.isDynamic() && p.servers().stream().noneMatch(srv -> srv.name().equals(u.server()))) {
                throw new ConfigException(u.location(), "use-server", "names '" + u.server() + "', which is not a"
                        + " server of " + p.kind().keyword() + " '" + p.name() + "'");
            }
        }
        if (!p.kind().hasFrontend()) {
            return;
        }
        if (!p.defaultBackend().isEmpty()) {
            checkTarget(p, p.defaultBackend(), builder.defaultBackendLocation(), "default_backend", all);
        }
        for (UseBackendConfig u : p.useBackends()) {
            if (!u.isDynamic()) {
                checkTarget(p, u.backend(), u.location(), "use_backend", all);
            }
        }
        if (p.kind() == ProxyKind.FRONTEND && p.defaultBackend().isEmpty() && p.useBackends().isEmpty()) {
            notices.add(new ConfigNotice(p.location(), "frontend '" + p.name() + "' has neither default_backend nor"
                    + " use_backend: its connections will find no server"));
        }
    }

    private static void checkTarget(ProxyConfig p, String target, Location at, String kw, List<ProxyConfig> all)
            throws ConfigException {
        for (ProxyConfig q : all) {
            if (q.kind().hasBackend() && q.name().equals(target)) {
                return;
            }
        }
        throw new ConfigException(at, kw, "names '" + target + "', which is not a backend or listen section (in "
                + p.kind().keyword() + " '" + p.name() + "')");
    }

    /**
     * Stick tables are named after their sections: two sections of one name cannot both hold one. A stick or
     * track-sc rule without {@code table} uses its own section's table, which must exist; with {@code table <name>}
     * it must name a section that holds one. Whether the table's type suits the rule's expression is the model's
     * check, once expressions are compiled.
     */
    private static void checkTables(ProxyConfig p, List<ProxyConfig> all, List<PeersConfig> peers)
            throws ConfigException {
        StickTableConfig own = p.persistence().table();
        if (own != null && !own.peers().isEmpty() && peers.stream().noneMatch(x -> x.name().equals(own.peers()))) {
            throw new ConfigException(own.location(), "stick-table", "names peers section '" + own.peers()
                    + "', which is not declared");
        }
        if (own != null) {
            for (ProxyConfig q : all) {
                if (q == p) {
                    break;
                }
                if (q.name().equals(p.name()) && q.persistence().table() != null) {
                    throw new ConfigException(own.location(), "stick-table", "'" + p.name() + "' is already the"
                            + " name of the stick-table of " + q.kind().keyword() + " '" + q.name() + "' at "
                            + q.persistence().table().location() + " (a table takes its section's name)");
                }
            }
        }
        for (StickRuleConfig r : p.persistence().stickRules()) {
            String kw = "stick " + r.kind().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
            checkTable(p, r.table(), r.location(), kw, all, peers);
        }
        for (TcpRuleConfig r : p.persistence().tcpRules()) {
            if (r.action() == TcpRuleConfig.Action.TRACK_SC) {
                checkTable(p, r.trackTable(), r.location(), ProxyBuilder.ruleKeyword(r.phase()), all, peers);
            }
        }
    }

    private static void checkTable(ProxyConfig p, String table, Location at, String kw, List<ProxyConfig> all,
            List<PeersConfig> peers) throws ConfigException {
        String in = " (in " + p.kind().keyword() + " '" + p.name() + "')";
        if (table.isEmpty()) {
            if (p.persistence().table() == null) {
                throw new ConfigException(at, kw, "needs a stick-table: " + p.kind().keyword() + " '" + p.name()
                        + "' has none; declare one, or name another section's with 'table <name>'");
            }
            return;
        }
        int slash = table.indexOf('/');
        if (slash > 0) {
            // <peers>/<table>: a table of a peers section
            for (PeersConfig x : peers) {
                if (x.name().equals(table.substring(0, slash))) {
                    if (x.tables().stream().anyMatch(t -> t.name().equals(table))) {
                        return;
                    }
                    throw new ConfigException(at, kw, "names table '" + table + "', but peers section '" + x.name()
                            + "' declares no table '" + table.substring(slash + 1) + "'" + in);
                }
            }
            throw new ConfigException(at, kw, "names table '" + table + "', but no peers section is called '"
                    + table.substring(0, slash) + "'" + in);
        }
        boolean section = false;
        for (ProxyConfig q : all) {
            if (q.name().equals(table)) {
                section = true;
                if (q.persistence().table() != null) {
                    return;
                }
            }
        }
        throw new ConfigException(at, kw, "names table '" + table + "', but " + (section ? "section '" + table
                + "' has no stick-table" : "no section is called '" + table + "'") + in);
    }

    private static void checkServers(ProxyConfig p) throws ConfigException {
        Map<String, ServerConfig> byName = new HashMap<>();
        for (ServerConfig s : p.servers()) {
            ServerConfig clash = byName.putIfAbsent(s.name(), s);
            if (clash != null) {
                throw new ConfigException(s.location(), "server", "name '" + s.name() + "' is already used in "
                        + p.kind().keyword() + " '" + p.name() + "' at " + clash.location());
            }
            if (s.options().agent().enabled() && s.options().agentPort() == 0) {
                throw new ConfigException(s.location(), "server", "'server " + p.name() + "/" + s.name() + "' has"
                        + " 'agent-check' but neither 'agent-port' nor 'port': the agent check needs the port its"
                        + " agent listens on");
            }
        }
    }

    /**
     * {@code track}: the tracked server exists, has checks or tracks one that has, and no chain loops; a server does
     * not both check and track. HAProxy's rules and wording.
     */
    private static void checkTracks(ProxyConfig p, List<ProxyConfig> all) throws ConfigException {
        for (ServerConfig s : p.servers()) {
            if (s.options().track().isEmpty()) {
                continue;
            }
            String self = "'server " + p.name() + "/" + s.name() + "'";
            if (s.options().check()) {
                throw new ConfigException(s.location(), "server", self + ": unable to enable checks and tracking at"
                        + " the same time!");
            }
            String from = p.name();
            ServerConfig at = s;
            List<ServerConfig> chain = new ArrayList<>();
            chain.add(s);
            while (!at.options().track().isEmpty()) {
                String backend = at.options().trackBackend(from);
                String server = at.options().trackServer();
                ProxyConfig b = all.stream().filter(x -> x.kind().hasBackend() && x.name().equals(backend))
                        .findFirst().orElse(null);
                if (b == null) {
                    throw new ConfigException(s.location(), "server", self + ": unable to find required proxy '"
                            + backend + "' for tracking.");
                }
                ServerConfig next = b.servers().stream().filter(x -> x.name().equals(server)).findFirst()
                        .orElse(null);
                if (next == null) {
                    throw new ConfigException(s.location(), "server", self + ": unable to find required server '"
                            + server + "' for tracking.");
                }
                if (chain.contains(next)) {
                    throw new ConfigException(s.location(), "server", self + ": unable to track " + backend + "/"
                            + server + " as it belongs to a tracking chain looping back to " + backend + "/"
                            + server + ".");
                }
                if (next.options().track().isEmpty() && !next.options().check() && !next.options().agent().enabled()) {
                    throw new ConfigException(s.location(), "server", self + ": unable to use " + backend + "/"
                            + server + " for tracking as it does not have any check nor agent enabled.");
                }
                chain.add(next);
                from = backend;
                at = next;
            }
        }
    }

    private void checkTcpChecks(ProxyConfig p) throws ConfigException {
        List<TcpCheckRule> rules = p.backendOptions().tcpCheckRules();
        TcpCheckParser.checkRuleset(rules);
        if (!rules.isEmpty() && !p.backendOptions().tcpCheck()) {
            notices.add(new ConfigNotice(p.location(), p.kind().keyword() + " '" + p.name() + "' has tcp-check"
                    + " rules but no 'option tcp-check': its checks only connect"));
        }
        HttpCheckConfig http = p.backendOptions().httpCheck();
        if (!http.rules().isEmpty() && !http.enabled()) {
            notices.add(new ConfigNotice(p.location(), p.kind().keyword() + " '" + p.name() + "' has http-check"
                    + " rules but no 'option httpchk': they are not used"));
        }
    }

    /**
     * An external check needs the global {@code external-check} and a command that can be found: an absolute path,
     * or a name with {@code external-check path} set (an empty PATH finds nothing), as HAProxy requires.
     */
    private void checkExternalCheck(ProxyConfig p, GlobalConfig global) throws ConfigException {
        ExternalCheckConfig x = p.backendOptions().externalCheck();
        if (!x.enabled()) {
            if (x.command() != null && x.location() != null) {
                notices.add(new ConfigNotice(x.commandLocation(), "'external-check command' is ignored in "
                        + p.kind().keyword() + " '" + p.name() + "': its 'option external-check' was turned off"
                        + " later"));
            }
            return;
        }
        if (!global.externalCheck()) {
            throw new ConfigException(x.location(), "option external-check", "needs 'external-check' in the global"
                    + " section, which allows external checks");
        }
        if (x.command() == null) {
            throw new ConfigException(x.location(), "option external-check", "needs an 'external-check command' in "
                    + p.kind().keyword() + " '" + p.name() + "' or its defaults");
        }
        if (!x.command().startsWith("/") && x.path() == null) {
            throw new ConfigException(x.commandLocation(), "external-check command", "'" + x.command() + "' is not"
                    + " an absolute path and 'external-check path' is not set, so it cannot be found");
        }
    }

    /**
     * A backend's email alerts need a declared mailers section; settings that lack the mailers, the sender or the
     * recipient send nothing, which HAProxy and Tether say at load.
     */
    private void checkEmailAlert(ProxyConfig p, List<MailersConfig> mailers) throws ConfigException {
        EmailAlertConfig e = p.backendOptions().emailAlert();
        if (!e.written()) {
            return;
        }
        if (e.mailers() != null && mailers.stream().noneMatch(m -> m.name().equals(e.mailers()))) {
            throw new ConfigException(e.location(), "email-alert mailers", "names '" + e.mailers() + "', which is not"
                    + " a mailers section (in " + p.kind().keyword() + " '" + p.name() + "')");
        }
        if (!e.complete()) {
            notices.add(new ConfigNotice(e.location(), p.kind().keyword() + " '" + p.name() + "' sends no email"
                    + " alert: 'email-alert mailers', 'email-alert from' and 'email-alert to' must all be set"));
        }
    }

    /** HAProxy warns about missing timeouts at start-up; Tether says the same as a notice. */
    private void timeoutNotices(ProxyConfig p) {
        List<String> missing = new ArrayList<>();
        if (p.kind().hasFrontend() && p.timeouts().client() == 0) {
            missing.add("client");
        }
        if (p.kind().hasBackend() && p.timeouts().connect() == 0) {
            missing.add("connect");
        }
        if (p.kind().hasBackend() && p.timeouts().server() == 0) {
            missing.add("server");
        }
        if (!missing.isEmpty()) {
            notices.add(new ConfigNotice(p.location(), p.kind().keyword() + " '" + p.name() + "' misses timeout "
                    + String.join(", ", missing) + ": unset timeouts are infinite, and idle connections pile up"));
        }
    }
}
