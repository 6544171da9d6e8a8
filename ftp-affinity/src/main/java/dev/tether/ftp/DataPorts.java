package dev.tether.ftp;

import dev.tether.spi.DataChannels;
import dev.tether.spi.FilterContext;
import dev.tether.spi.Peer;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The data ports one gateway session opened through {@link FilterContext#dataChannels()}, and what became of each:
 * listening, connected (bytes move), done. A new port replaces the ports nobody connected to, as a server replaces
 * its own listening socket on a new PASV. Session event loop only.
 */
final class DataPorts {

    /** What a command or reply does once its data port listens, or could not. */
    interface Use {
        void bound(DataPort port, InetSocketAddress at);

        void notBound(String reason);
    }

    private final FilterContext ctx;
    private final GatewaySettings settings;
    /** Told when a port ended: a goodbye may have waited for it. */
    private final Runnable ended;
    private final List<DataPort> ports = new ArrayList<>();
    private boolean closed;

    DataPorts(FilterContext ctx, GatewaySettings settings, Runnable ended) {
        this.ctx = ctx;
        this.settings = settings;
        this.ended = ended;
    }

    /** Opens a port on {@code side} whose connection is relayed to {@code target}. */
    void open(Peer side, InetSocketAddress target, Use use) {
        // a port still being bound belongs to the other direction's line, which waits for it: it stays
        for (DataPort p : new ArrayList<>(ports)) {
            if (p.bound && !p.connected) {
                p.close();
            }
        }
        DataPort port = new DataPort(use);
        port.channel = ctx.dataChannels().open(new DataChannels.Request(side, settings.firstPort(),
                settings.lastPort(), target, settings.timeoutMillis()), port);
        ports.add(port);
    }

    /** Whether a data connection is moving bytes. */
    boolean moving() {
        for (DataPort p : ports) {
            if (p.connected) {
                return true;
            }
        }
        return false;
    }

    /** The session ends, or said goodbye: every port closes, and no callback reaches the gateway any more. */
    void closeAll() {
        closed = true;
        for (DataPort p : new ArrayList<>(ports)) {
            p.close();
        }
    }

    /** One data port, as its events report it. */
    final class DataPort implements DataChannels.Events {
        private final Use use;
        private DataChannels.DataChannel channel;
        private boolean bound;
        private boolean connected;
        private boolean done;

        private DataPort(Use use) {
            this.use = use;
        }

        @Override
        public void bound(InetSocketAddress address) {
            if (closed || done) {
                return;
            }
            bound = true;
            use.bound(this, address);
        }

        @Override
        public void connected() {
            connected = true;
        }

        @Override
        public void failed(String reason) {
            if (finish()) {
                if (!bound) {
                    use.notBound(reason);
                }
                ended.run();
            }
        }

        @Override
        public void ended(long bytes, boolean clean) {
            if (finish()) {
                ended.run();
            }
        }

        private boolean finish() {
            if (done) {
                return false;
            }
            done = true;
            ports.remove(this);
            return !closed;
        }

        /** Closes the port, and any connection it relays; no callback follows. */
        void close() {
            if (!done) {
                done = true;
                ports.remove(this);
                channel.close();
            }
        }
    }
}
