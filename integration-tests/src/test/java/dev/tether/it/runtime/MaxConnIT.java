package dev.tether.it.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tether.it.harness.Backend;
import dev.tether.it.harness.Redis;
import dev.tether.it.harness.RunningTether;
import dev.tether.it.harness.StatsSocket;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code set maxconn frontend} and {@code set maxconn global} on a running Tether in front of Redis: at the limit a
 * second client waits unanswered (its PING sits in the kernel) while the first stays connected; raising the limit
 * lets it in at once, without the first leaving.
 */
class MaxConnIT {

    @TempDir
    Path dir;

    @Test
    void raisingAFrontendsLimitLetsTheWaitingClientInAtOnce(@Redis Backend redis) throws Exception {
        try (RunningTether tether = start(redis, "", "    maxconn 1\n");
                Socket first = connect(tether)) {
            StatsSocket api = new StatsSocket(dir.resolve("tether.sock"));
            assertThat(RedisLine.ping(first, 5000)).isEqualTo("+PONG");
            try (Socket second = connect(tether)) {
                assertThatThrownBy(() -> RedisLine.ping(second, 700)).isInstanceOf(SocketTimeoutException.class);
                assertThat(api.command("set maxconn frontend redis -1")).isEqualTo("Value out of range.\n\n");
                assertThat(api.command("set maxconn frontend nosuch 2")).isEqualTo("No such frontend.\n\n");
                assertThat(api.command("set maxconn frontend redis 2")).isEqualTo("\n");
                assertThat(RedisLine.read(second, 5000)).isEqualTo("+PONG");
            }
            assertThat(StatsSocket.row(api.command("show stat"), "redis", "FRONTEND").get("slim")).isEqualTo("2");
        }
    }

    @Test
    void raisingTheProcessLimitBackLetsTheWaitingClientInAtOnce(@Redis Backend redis) throws Exception {
        try (RunningTether tether = start(redis, " maxconn 2\n", "")) {
            StatsSocket api = new StatsSocket(dir.resolve("tether.sock"));
            // the limit the process started with is its ceiling, as HAProxy's hard maxconn
            assertThat(api.command("set maxconn global 3")).isEqualTo("Value out of range.\n\n");
            assertThat(api.command("set maxconn global 1")).isEqualTo("\n");
            assertThat(api.command("show info")).contains("Maxconn: 1\n").contains("Hard_maxconn: 2\n");
            try (Socket first = connect(tether)) {
                assertThat(RedisLine.ping(first, 5000)).isEqualTo("+PONG");
                try (Socket second = connect(tether)) {
                    assertThatThrownBy(() -> RedisLine.ping(second, 700)).isInstanceOf(SocketTimeoutException.class);
                    // 0: back to the limit the process started with
                    assertThat(api.command("set maxconn global 0")).isEqualTo("\n");
                    assertThat(RedisLine.read(second, 5000)).isEqualTo("+PONG");
                }
            }
            assertThat(api.command("show info")).contains("Maxconn: 2\n");
        }
    }

    private RunningTether start(Backend redis, String global, String listen) throws Exception {
        return RunningTether.start("global\n stats socket \"" + dir.resolve("tether.sock") + "\" level admin\n"
                + global + "listen redis\n    bind 127.0.0.1:0\n" + listen + "    server s1 \"${REDIS}\"\n",
                redis.variables("REDIS"));
    }

    private static Socket connect(RunningTether tether) throws IOException {
        return new Socket(tether.host("redis"), tether.port("redis"));
    }
}
