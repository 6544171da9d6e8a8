package dev.tether.config;

import dev.tether.plugin.KnownPlugins;
import dev.tether.rules.ConditionCompiler;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code acl} lines and {@code if|unless} conditions (CFG §7.1, §7.2). Each ACL is compiled once while parsing so
 * that a bad criterion, flag or pattern is reported at its own line, as HAProxy does.
 */
final class AclParser {

    private static final Set<String> HTTP_PREDEFINED = Set.of("HTTP", "HTTP_1.0", "HTTP_1.1", "HTTP_2.0",
            "HTTP_3.0", "HTTP_CONTENT", "HTTP_URL_ABS", "HTTP_URL_SLASH", "HTTP_URL_STAR", "METH_CONNECT",
            "METH_DELETE", "METH_GET", "METH_HEAD", "METH_OPTIONS", "METH_POST", "METH_PUT", "METH_TRACE");

    private AclParser() {
    }

    static boolean isValidName(String name) {
        if (name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-'
                    || c == '_' || c == '.' || c == ':';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** {@code acl <name> <criterion>[,conv...] [flags] [operator] <value>...}. */
    static void acl(Directive d, ParseState state) throws ConfigException {
        if (d.argCount() < 2) {
            throw d.error("expects <name> <criterion> [flags] [values...]");
        }
        String name = d.arg(0);
        if (!isValidName(name)) {
            throw d.error("name '" + name + "' may only contain letters, digits, '-', '_', '.' and ':'");
        }
        AclConfig acl = body(d, name, d.args().subList(1, d.argCount()), state);
        state.proxy().addAcl(acl);
    }

    private static AclConfig body(Directive d, String name, List<String> words, ParseState state)
            throws ConfigException {
        Path currentFile = state.currentFile();
        String criterion = words.get(0);
        List<String> flags = new ArrayList<>();
        List<String> patterns = new ArrayList<>();
        List<AclConfig.PatternFile> files = new ArrayList<>();
        boolean sawFile = false;
        boolean mapFiles = false;
        int i = 1;
        while (i < words.size() && words.get(i).startsWith("-") && words.get(i).length() > 1) {
            String f = words.get(i);
            if (f.equals("--")) {
                i++;
                break;
            }
            switch (f) {
                case "-i":
                case "-n":
                    flags.add(f);
                    i++;
                    break;
                case "-m":
                case "-u":
                case "-f":
                    if (i + 1 >= words.size()) {
                        throw d.error("flag '" + f + "' needs a value");
                    }
                    String value = words.get(i + 1);
                    if (f.equals("-f")) {
                        files.add(readPatternFile(value, d, currentFile, mapFiles));
                        sawFile = true;
                    } else if (f.equals("-m")) {
                        if (sawFile) {
                            throw d.error("flag '-m' must come before '-f' (the method decides how the file is read)");
                        }
                        flags.add("-m " + value);
                    } else {
                        flags.add("-u " + value);
                    }
                    i += 2;
                    break;
                case "-M":
                    if (sawFile) {
                        throw d.error("flag '-M' must come before '-f' (it decides how the file is read)");
                    }
                    mapFiles = true;
                    i++;
                    break;
                default:
                    throw d.error("flag '" + f + "' is not a valid ACL flag (known: -i, -n, -f, -M, -m, -u, --);"
                            + " put '--' before a value that starts with '-'");
            }
        }
        patterns.addAll(words.subList(i, words.size()));
        AclConfig acl = new AclConfig(d.location(), name, criterion, flags, patterns, files);
        ConditionCompiler.check(acl, state.plugins().samples());
        return acl;
    }

    /**
     * Reads a {@code -f} file: one pattern per line, leading blanks stripped, blank lines and {@code #} lines
     * skipped (CFG §7.1); after {@code -M}, a map file, of whose lines only the key (the first word) is a pattern.
     * A relative name is looked up in the working directory first, then next to the configuration file naming it.
     */
    private static AclConfig.PatternFile readPatternFile(String name, Directive d, Path currentFile,
            boolean keysOnly) throws ConfigException {
        Path direct = Path.of(name);
        Path chosen = direct;
        if (!Files.isReadable(direct) && !direct.isAbsolute() && currentFile != null
                && currentFile.toAbsolutePath().getParent() != null) {
            chosen = currentFile.toAbsolutePath().getParent().resolve(name);
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(chosen, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw d.error("cannot read pattern file '" + name + "'" + (chosen.equals(direct) ? ""
                    : " (also tried '" + chosen + "')") + ": " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " " + e.getMessage()));
        }
        List<AclConfig.Entry> out = new ArrayList<>();
        for (String line : lines) {
            String p = line.stripLeading();
            if (p.endsWith("\r")) {
                p = p.substring(0, p.length() - 1);
            }
            if (!p.isEmpty() && !p.startsWith("#")) {
                String[] kv = keysOnly ? p.split("[ \t]+", 2) : new String[] {p};
                out.add(new AclConfig.Entry(kv[0], kv.length > 1 ? kv[1] : ""));
            }
        }
        return new AclConfig.PatternFile(name, chosen.toAbsolutePath().normalize().toString(), keysOnly, out);
    }

    /**
     * Parses {@code if|unless <terms>} starting at {@code args[from]}; anonymous ACLs are added to the proxy under
     * generated names. Every named ACL must be declared before the rule that uses it, as in HAProxy.
     */
    static ConditionConfig condition(Directive d, int from, ParseState state) throws ConfigException {
        List<String> w = d.args();
        String kw = w.get(from);
        boolean unless;
        if (kw.equals("if")) {
            unless = false;
        } else if (kw.equals("unless")) {
            unless = true;
        } else {
            throw d.error("expects 'if' or 'unless' before a condition, found '" + kw + "'");
        }
        ProxyBuilder proxy = state.proxy();
        Set<String> declared = new HashSet<>();
        for (AclConfig a : proxy.acls()) {
            declared.add(a.name());
        }
        List<List<ConditionConfig.AclTerm>> alternatives = new ArrayList<>();
        List<ConditionConfig.AclTerm> current = new ArrayList<>();
        int i = from + 1;
        while (i < w.size()) {
            String t = w.get(i);
            if (t.equals("or") || t.equals("||")) {
                if (current.isEmpty()) {
                    throw d.error("condition has '" + t + "' without a term before it");
                }
                alternatives.add(current);
                current = new ArrayList<>();
                i++;
                continue;
            }
            boolean negated = false;
            if (t.equals("!")) {
                negated = true;
                i++;
                if (i >= w.size()) {
                    throw d.error("condition ends with '!'");
                }
                t = w.get(i);
            } else if (t.startsWith("!")) {
                negated = true;
                t = t.substring(1);
            }
            if (t.equals("{")) {
                int end = -1;
                for (int k = i + 1; k < w.size(); k++) {
                    if (w.get(k).equals("}")) {
                        end = k;
                        break;
                    }
                }
                if (end < 0) {
                    throw d.error("condition has '{' without a matching '}' (braces must be separate words)");
                }
                if (end == i + 1) {
                    throw d.error("condition has an empty anonymous ACL '{ }'");
                }
                String name = proxy.nextAnonymousAclName(d.location());
                AclConfig acl = body(d, name, w.subList(i + 1, end), state);
                proxy.addAcl(acl);
                current.add(new ConditionConfig.AclTerm(negated, name));
                i = end + 1;
                continue;
            }
            if (t.equals("}")) {
                throw d.error("condition has '}' without a matching '{'");
            }
            if (!declared.contains(t) && !ConditionCompiler.PREDEFINED_ACLS.contains(t)
                    && state.plugins().samples().predefinedAcl(t) == null) {
                String notLoaded = KnownPlugins.notLoaded(KnownPlugins.Kind.ACL, t);
                if (notLoaded != null) {
                    throw d.error("condition uses the predefined ACL '" + t + "', which " + notLoaded);
                }
                if (HTTP_PREDEFINED.contains(t)) {
                    throw d.error("condition uses the predefined ACL '" + t + "', which is HTTP-only: Tether"
                            + " proxies TCP only");
                }
                throw d.error("condition uses ACL '" + t + "', which is not declared before this line in this"
                        + " section");
            }
            current.add(new ConditionConfig.AclTerm(negated, t));
            i++;
        }
        if (current.isEmpty()) {
            throw d.error(alternatives.isEmpty() ? "expects a condition after '" + kw + "'"
                    : "condition ends with 'or'");
        }
        alternatives.add(current);
        return new ConditionConfig(d.location(), unless, alternatives);
    }
}
