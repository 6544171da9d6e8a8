package dev.tether.it.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tether.it.harness.Backend;
import dev.tether.it.harness.Redis;
import dev.tether.it.harness.RunningTether;
import dev.tether.it.harness.StatsSocket;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code disable frontend} and {@code enable frontend} in front of Redis: while disabled, new clients are refused
 * (the sockets are closed, as HAProxy 2.6 does) and a client already connected goes on; enabled again, the frontend
 * listens on the same port. The answers are the ones HAProxy 2.6 gave for the same commands.
 */
class DisableFrontendIT {

    @TempDir
    Path dir;

    @Test
    void aDisabledFrontendRefusesNewClientsAndKeepsItsSessions(@Redis Backend redis) throws Exception {
        Path socket = dir.resolve("tether.sock");
        try (RunningTether tether = RunningTether.start("global\n stats socket \"" + socket + "\" level admin\n"
                + "listen redis\n    bind 127.0.0.1:0\n    server s1 \"${REDIS}\"\n", redis.variables("REDIS"));
                Socket before = new Socket(tether.host("redis"), tether.port("redis"))) {
            StatsSocket api = new StatsSocket(socket);
            int port = tether.port("redis");
            assertThat(RedisLine.ping(before, 5000)).isEqualTo("+PONG");

            assertThat(api.command("disable frontend redis")).isEqualTo("\n");
            assertThat(api.command("disable frontend redis")).isEqualTo("All sockets are already disabled.\n\n");
            assertThat(api.command("disable frontend nosuch")).isEqualTo("No such frontend.\n\n");
            assertThat(api.command("disable frontend")).isEqualTo("A frontend name is expected.\n\n");
            assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(ConnectException.class);
            assertThat(RedisLine.ping(before, 5000)).as("a session already running").isEqualTo("+PONG");
            assertThat(StatsSocket.row(api.command("show stat"), "redis", "FRONTEND").get("status"))
                    .isEqualTo("PAUSED");

            assertThat(api.command("enable frontend redis")).isEqualTo("\n");
            assertThat(api.command("enable frontend redis")).isEqualTo("All sockets are already enabled.\n\n");
            try (Socket after = new Socket("127.0.0.1", port)) {
                assertThat(RedisLine.ping(after, 5000)).isEqualTo("+PONG");
            }
            assertThat(StatsSocket.row(api.command("show stat"), "redis", "FRONTEND").get("status")).isEqualTo("OPEN");
        }
    }
}
