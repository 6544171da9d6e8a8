package dev.tether.log;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;

/**
 * UDP syslog (RFC 5426): one datagram per line. A blocking {@link DatagramChannel} used by the log
 * writer thread only; a UDP send does not wait for the receiver, so it blocks at most while the socket buffer
 * drains to the network.
 */
final class UdpOutput implements LogOutput {

    private final InetSocketAddress target;
    private final DatagramChannel channel;

    UdpOutput(InetSocketAddress target) throws IOException {
        this.target = target;
        this.channel = DatagramChannel.open(target.getAddress() instanceof java.net.Inet6Address
                ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
    }

    @Override
    public boolean write(byte[] buf, int len) throws IOException {
        channel.send(ByteBuffer.wrap(buf, 0, len), target);
        return true;
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("closing syslog socket to " + target, e);
        }
    }

    @Override
    public String describe() {
        return "udp " + TcpLogFormat.appendEndpoint(new StringBuilder(), target);
    }
}
