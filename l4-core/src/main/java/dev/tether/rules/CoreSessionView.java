package dev.tether.rules;

import dev.tether.model.BackendModel;
import dev.tether.model.FrontendModel;
import dev.tether.model.ServerModel;
import dev.tether.spi.SessionView;
import dev.tether.stick.StickEntry;
import dev.tether.stick.StickTable;

/**
 * What the core's own fetches may read beyond the plugin-facing {@link SessionView}: tracked counters, stick
 * tables and backends. The session implements it; plugins never see it. Called on the session's event loop.
 */
public interface CoreSessionView extends SessionView {

    /** The entry tracked by {@code track-sc<counter>} (0..2), or null. */
    StickEntry tracked(int counter);

    /**
     * A stick table by section name; "" means the table of the proxy whose rule is being evaluated (the frontend
     * while frontend rules run, the backend once it is chosen). Null when there is none.
     */
    StickTable table(String name);

    /**
     * A backend by name; "" means the session's backend (null before one is chosen). Null when unknown.
     */
    BackendModel backend(String name);

    /** A frontend by name; "" means the session's. Null when unknown. */
    default FrontendModel frontend(String name) {
        return null;
    }

    /**
     * The server the session is queued for, connecting to or relaying with (once it ended: the one it had); null
     * before one is chosen.
     */
    default ServerModel server() {
        return null;
    }

    /** The server connection's local address ({@code bc_src}); null without one. */
    default java.net.InetSocketAddress serverSource() {
        return null;
    }

    /** The server connection's remote address ({@code bc_dst}), the one it tried when it failed; null without one. */
    default java.net.InetSocketAddress serverDestination() {
        return null;
    }

    /** A TLV of the PROXY header the client side sent, by type; null when there is none ({@code fc_pp_tlv}). */
    default byte[] clientProxyTlv(int type) {
        return null;
    }
}
