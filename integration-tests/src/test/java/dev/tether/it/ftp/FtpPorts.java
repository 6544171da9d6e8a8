package dev.tether.it.ftp;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Free ports and free port ranges on loopback addresses, below the kernel's ephemeral range (32768 on Linux by
 * default) so that no outgoing connection takes one between the check and its use. A port is free when it binds.
 */
final class FtpPorts {

    private static final int LOWEST = 15_000;
    private static final int HIGHEST = 32_000;

    private FtpPorts() {
    }

    static int freePort(String host) {
        return freeRange(List.of(host), 1);
    }

    /** The first port of {@code count} consecutive ports free on every one of {@code hosts}. */
    static int freeRange(List<String> hosts, int count) {
        for (int attempt = 0; attempt < 200; attempt++) {
            int first = ThreadLocalRandom.current().nextInt(LOWEST, HIGHEST - count);
            if (allFree(hosts, first, count)) {
                return first;
            }
        }
        throw new IllegalStateException("no " + count + " free consecutive ports on " + hosts);
    }

    private static boolean allFree(List<String> hosts, int first, int count) {
        for (String host : hosts) {
            for (int p = first; p < first + count; p++) {
                try (ServerSocket s = new ServerSocket()) {
                    s.setReuseAddress(true);
                    s.bind(new InetSocketAddress(InetAddress.getByName(host), p), 1);
                } catch (IOException taken) {
                    return false;
                }
            }
        }
        return true;
    }
}
