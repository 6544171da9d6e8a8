package dev.tether.session;

import dev.tether.spi.SessionKey;
import dev.tether.model.BackendModel;
import dev.tether.model.FrontendModel;
import dev.tether.model.ServerModel;
import dev.tether.rules.CoreSessionView;
import dev.tether.stick.StickEntry;
import dev.tether.stick.StickTable;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import java.net.InetSocketAddress;

/**
 * One {@link Session} as rules, fetches, balancers and plugins see it: addresses, the inspected request and
 * response bytes, tracked counters, stick tables and the chosen backend. Read-only; session event loop only.
 */
final class SessionFacts implements CoreSessionView {

    private final Session session;
    /** Values plugins keep with the session; allocated on first use (most sessions have none). */
    private java.util.Map<SessionKey<?>, Object> values;

    SessionFacts(Session session) {
        this.session = session;
    }

    @Override
    public InetSocketAddress source() {
        return session.source();
    }

    @Override
    public InetSocketAddress destination() {
        return session.destination();
    }

    @Override
    public InetSocketAddress socketSource() {
        return session.socketSource();
    }

    @Override
    public InetSocketAddress socketDestination() {
        return session.socketDestination();
    }

    @Override
    public String frontendName() {
        return session.frontendName();
    }

    @Override
    public ByteBuf requestBuffer() {
        return session.requestView();
    }

    @Override
    public boolean requestComplete() {
        return !session.requestInspecting() || session.inspection().complete();
    }

    @Override
    public ByteBuf responseBuffer() {
        return session.inspection().responseView();
    }

    @Override
    public boolean responseComplete() {
        return !session.inspection().inspectingResponse() || session.inspection().complete();
    }

    @Override
    public StickEntry tracked(int counter) {
        return session.inspection().tracked(counter);
    }

    @Override
    public StickTable table(String name) {
        if (!name.isEmpty()) {
            return session.context().model().table(name);
        }
        BackendModel b = session.routedBackend();
        return b != null ? b.persistence().table() : session.frontend().persistence().table();
    }

    @Override
    public byte[] clientProxyTlv(int type) {
        return session.clientProxyTlv(type);
    }

    @Override
    public BackendModel backend(String name) {
        return name.isEmpty() ? session.routedBackend() : session.context().model().backend(name);
    }

    @Override
    public FrontendModel frontend(String name) {
        return name.isEmpty() ? session.frontend() : session.context().model().frontend(name);
    }

    @Override
    public ServerModel server() {
        return session.chosenServer();
    }

    @Override
    public InetSocketAddress serverSource() {
        Channel ch = session.serverChannel();
        return ch == null ? null : (InetSocketAddress) ch.localAddress();
    }

    @Override
    public InetSocketAddress serverDestination() {
        Channel ch = session.serverChannel();
        InetSocketAddress remote = ch == null ? null : (InetSocketAddress) ch.remoteAddress();
        // a connection that failed has no remote address: where it went is the attempt's target
        return remote != null ? remote : session.chosenTarget();
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T get(SessionKey<T> key) {
        return values == null ? null : (T) values.get(key);
    }

    @Override
    public <T> void put(SessionKey<T> key, T value) {
        if (value == null) {
            if (values != null) {
                values.remove(key);
            }
            return;
        }
        if (values == null) {
            values = new java.util.IdentityHashMap<>(4);
        }
        values.put(key, value);
    }
}
