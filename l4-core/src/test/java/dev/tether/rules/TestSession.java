package dev.tether.rules;

import dev.tether.spi.SessionView;
import java.net.InetSocketAddress;

/** A plain session view for rule tests: addresses as given, socket addresses equal to the advertised ones. */
record TestSession(InetSocketAddress source, InetSocketAddress destination, InetSocketAddress socketSource,
        InetSocketAddress socketDestination, String frontendName) implements SessionView {

    static TestSession of(String srcIp, int srcPort, String dstIp, int dstPort) {
        InetSocketAddress src = new InetSocketAddress(io.netty.util.NetUtil.createInetAddressFromIpAddressString(srcIp),
                srcPort);
        InetSocketAddress dst = new InetSocketAddress(io.netty.util.NetUtil.createInetAddressFromIpAddressString(dstIp),
                dstPort);
        return new TestSession(src, dst, src, dst, "fe");
    }

    /** A session whose PROXY header advertised other addresses than the socket's. */
    TestSession behindProxy(String socketSrcIp, int socketSrcPort) {
        InetSocketAddress s = new InetSocketAddress(io.netty.util.NetUtil.createInetAddressFromIpAddressString(
                socketSrcIp), socketSrcPort);
        return new TestSession(source, destination, s, socketDestination, frontendName);
    }
}
