package dev.tether.rules;

import dev.tether.model.BackendModel;
import dev.tether.model.FrontendModel;
import dev.tether.model.ServerModel;
import dev.tether.stick.StickEntry;
import dev.tether.stick.StickTable;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.util.NetUtil;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;

/**
 * A session as the core's fetches see it, for rule tests: addresses, inspection buffers, tracked entries, tables
 * and backends, all set by the test. The buffers belong to the test, which releases them.
 */
final class TestCoreSession implements CoreSessionView {

    private final InetSocketAddress source;
    private final InetSocketAddress destination;
    private final StickEntry[] tracked = new StickEntry[3];
    private final Map<String, StickTable> tables = new HashMap<>();
    private final Map<String, BackendModel> backends = new HashMap<>();
    private final Map<String, FrontendModel> frontends = new HashMap<>();
    ServerModel server;
    ByteBuf request = Unpooled.EMPTY_BUFFER;
    boolean requestComplete;
    ByteBuf response = Unpooled.EMPTY_BUFFER;
    boolean responseComplete;

    TestCoreSession(String srcIp, int srcPort) {
        this.source = new InetSocketAddress(NetUtil.createInetAddressFromIpAddressString(srcIp), srcPort);
        this.destination = new InetSocketAddress(NetUtil.createInetAddressFromIpAddressString("192.0.2.1"), 443);
    }

    TestCoreSession track(int counter, StickEntry entry) {
        tracked[counter] = entry;
        return this;
    }

    /** Registers a table under its own name and, when {@code current}, as the current proxy's ("" ). */
    TestCoreSession table(StickTable table, boolean current) {
        tables.put(table.name(), table);
        if (current) {
            tables.put("", table);
        }
        return this;
    }

    TestCoreSession backend(BackendModel backend, boolean current) {
        backends.put(backend.name(), backend);
        if (current) {
            backends.put("", backend);
        }
        return this;
    }

    /** Registers a frontend under its own name and, when {@code current}, as the session's (""). */
    TestCoreSession frontend(FrontendModel frontend, boolean current) {
        frontends.put(frontend.name(), frontend);
        if (current) {
            frontends.put("", frontend);
        }
        return this;
    }

    @Override
    public FrontendModel frontend(String name) {
        return frontends.get(name);
    }

    @Override
    public ServerModel server() {
        return server;
    }

    @Override
    public StickEntry tracked(int counter) {
        return tracked[counter];
    }

    @Override
    public StickTable table(String name) {
        return tables.get(name);
    }

    @Override
    public BackendModel backend(String name) {
        return backends.get(name);
    }

    @Override
    public InetSocketAddress source() {
        return source;
    }

    @Override
    public InetSocketAddress destination() {
        return destination;
    }

    @Override
    public InetSocketAddress socketSource() {
        return source;
    }

    @Override
    public InetSocketAddress socketDestination() {
        return destination;
    }

    @Override
    public String frontendName() {
        return "fe";
    }

    @Override
    public ByteBuf requestBuffer() {
        return request;
    }

    @Override
    public boolean requestComplete() {
        return requestComplete;
    }

    @Override
    public ByteBuf responseBuffer() {
        return response;
    }

    @Override
    public boolean responseComplete() {
        return responseComplete;
    }
}
