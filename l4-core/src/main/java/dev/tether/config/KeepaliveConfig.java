package dev.tether.config;

/**
 * TCP keepalive of a section's client-side and server-side sockets: {@code option clitcpka|srvtcpka|tcpka} and
 * {@code clitcpka-idle|intvl|cnt}, {@code srvtcpka-idle|intvl|cnt} (CFG §4.2). Times in seconds, as HAProxy takes
 * them; 0 leaves the system's value (net.ipv4.tcp_keepalive_*).
 */
public record KeepaliveConfig(boolean client, long clientIdle, long clientInterval, int clientCount, boolean server,
        long serverIdle, long serverInterval, int serverCount) {

    public static final KeepaliveConfig NONE = new KeepaliveConfig(false, 0, 0, 0, false, 0, 0, 0);
}
