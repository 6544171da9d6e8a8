package dev.tether.rdp;

import dev.tether.spi.BalanceKeyword;
import dev.tether.spi.CheckKeyword;
import dev.tether.spi.FetchKeyword;
import dev.tether.spi.LogText;
import dev.tether.spi.PersistKeyword;
import dev.tether.spi.Registrar;
import dev.tether.spi.TetherPlugin;
import java.net.InetSocketAddress;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Remote Desktop: the RDP cookie and routing-token fetches, the {@code RDP_COOKIE} ACL, {@code balance rdp-cookie},
 * {@code persist rdp-cookie} and {@code option rdp-check}, so that HAProxy's RDP configurations run unchanged.
 * Operators' guide: docs/protocols/rdp.md.
 */
public final class RdpPlugin implements TetherPlugin {

    private static final Logger LOG = LoggerFactory.getLogger(RdpPlugin.class);

    /** {@code balance rdp-cookie} hashes the user cookie unless told otherwise (HAProxy's default). */
    static final String BALANCE_DEFAULT = ConnectionRequest.USER_COOKIE;
    /** {@code persist rdp-cookie} reads the broker's routing token unless told otherwise (HAProxy's default). */
    static final String PERSIST_DEFAULT = "msts";

    @Override
    public String module() {
        return "rdp-cookie";
    }

    @Override
    public void register(Registrar registrar) {
        for (FetchKeyword k : RequestFetches.keywords()) {
            registrar.fetch(k);
        }
        registrar.acl("RDP_COOKIE", "req.rdp_cookie_cnt gt 0", "the client's Connection Request carries an RDP"
                + " cookie or an msts routing token");
        registrar.balance(new BalanceKeyword("rdp-cookie", "hash of the RDP cookie <name> (mstshash when"
                + " omitted); round robin without one", args -> "req.rdp_cookie(" + name(args, BALANCE_DEFAULT)
                + ")"));
        registrar.persist(new PersistKeyword("rdp-cookie", "send the session to the server whose address and"
                + " port the routing token <name>=<ip>.<port>.<reserved> names (msts when omitted)",
                args -> persistRule(name(args, PERSIST_DEFAULT))));
        registrar.check(new CheckKeyword("rdp-check", "send an X.224 Connection Request, expect a Connection"
                + " Confirm; [user <name>] [protocols <list>]", RdpCheck::create));
    }

    /** The cookie name written in parentheses, or {@code otherwise} when none is. */
    private static String name(List<String> args, String otherwise) {
        String name = RequestFetches.cookieName("rdp-cookie", args);
        return name.isEmpty() ? otherwise : name;
    }

    /**
     * The routing token's server. A token that does not decode is logged and the session is balanced; one that
     * names no server of the backend is logged by the core, which balances it too.
     */
    static PersistKeyword.Rule persistRule(String cookie) {
        return session -> {
            Object r = RequestFetches.read(session);
            if (!(r instanceof ConnectionRequest)) {
                return r;
            }
            String value = ((ConnectionRequest) r).cookie(cookie);
            if (value == null) {
                return null;
            }
            InetSocketAddress server = RoutingToken.decode(value);
            if (server == null) {
                LOG.info("{} {}: persist rdp-cookie: routing token '{}={}' is not <ip>.<port>.<reserved>;"
                        + " balancing instead", session.frontendName(), session.sourceForLog(), cookie,
                        LogText.clean(value, 100));
            }
            return server;
        };
    }
}
