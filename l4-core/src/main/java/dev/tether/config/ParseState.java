package dev.tether.config;

import dev.tether.plugin.Plugins;
import java.nio.file.Path;
import java.util.List;

/**
 * What a keyword handler may touch while a line is applied: the global section, the proxy or defaults section
 * being built, the notices list, and where the current file lives (for {@code -f} pattern files). One instance per
 * load, used by the loading thread only.
 */
public final class ParseState {

    private final GlobalBuilder global = new GlobalBuilder();
    private final List<ConfigNotice> notices;
    private final Plugins plugins;
    private ProxyBuilder proxy;
    private PeersBuilder peers;
    private ResolversBuilder resolvers;
    private MailersBuilder mailers;
    private RingBuilder ring;
    private String defaultsName = "";
    private Path currentFile;

    ParseState(List<ConfigNotice> notices, Plugins plugins) {
        this.notices = notices;
        this.plugins = plugins;
    }

    /** The core's and the loaded plugins' fetches, algorithms, checks and filters. */
    public Plugins plugins() {
        return plugins;
    }

    public GlobalBuilder global() {
        return global;
    }

    /** The defaults or proxy section being built; only called by handlers of proxy keywords. */
    public ProxyBuilder proxy() {
        if (proxy == null) {
            throw new IllegalStateException("no proxy section is open");
        }
        return proxy;
    }

    void openProxy(ProxyBuilder p, String defaultsSectionName) {
        proxy = p;
        peers = null;
        resolvers = null;
        mailers = null;
        defaultsName = defaultsSectionName;
    }

    void closeProxy() {
        proxy = null;
        peers = null;
        resolvers = null;
        mailers = null;
        defaultsName = "";
    }

    /** The peers section being built; only called by handlers of peers keywords. */
    PeersBuilder peers() {
        if (peers == null) {
            throw new IllegalStateException("no peers section is open");
        }
        return peers;
    }

    void openPeers(PeersBuilder p) {
        closeProxy();
        peers = p;
    }

    /** The resolvers section being built; only called by handlers of resolvers keywords. */
    ResolversBuilder resolvers() {
        if (resolvers == null) {
            throw new IllegalStateException("no resolvers section is open");
        }
        return resolvers;
    }

    void openResolvers(ResolversBuilder r) {
        closeProxy();
        resolvers = r;
    }

    /** The mailers section being built; only called by handlers of mailers keywords. */
    MailersBuilder mailers() {
        if (mailers == null) {
            throw new IllegalStateException("no mailers section is open");
        }
        return mailers;
    }

    void openMailers(MailersBuilder m) {
        closeProxy();
        mailers = m;
    }

    /** The ring section being built; only called by handlers of ring keywords. */
    RingBuilder ring() {
        if (ring == null) {
            throw new IllegalStateException("no ring section is open");
        }
        return ring;
    }

    void openRing(RingBuilder r) {
        closeProxy();
        ring = r;
    }

    /** The name of the defaults section being built ("" when unnamed or when the section is not a defaults). */
    public String defaultsName() {
        return defaultsName;
    }

    public void notice(Location location, String message) {
        notices.add(new ConfigNotice(location, message));
    }

    /** The file being read, or null when parsing a string ({@link ConfigLoader#parse}). */
    public Path currentFile() {
        return currentFile;
    }

    void currentFile(Path file) {
        currentFile = file;
    }
}
