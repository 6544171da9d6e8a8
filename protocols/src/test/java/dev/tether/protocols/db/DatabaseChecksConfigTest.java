package dev.tether.protocols.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tether.config.ConfigException;
import dev.tether.config.ConfigLoader;
import dev.tether.config.ProtocolCheckConfig;
import dev.tether.config.TetherConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The three options as a configuration writes them, read by the core with the plugins ServiceLoader finds. */
class DatabaseChecksConfigTest {

    private static TetherConfig parse(String backendLines) throws ConfigException {
        return ConfigLoader.parse("db.cfg", "backend be\n" + backendLines + "    server s1 127.0.0.1:5432 check\n",
                Map.of());
    }

    @Test
    void shouldReadEachCheckOptionWithItsArguments() throws ConfigException {
        ProtocolCheckConfig pg = parse("    option pgsql-check user haproxy\n").backend("be").backendOptions()
                .protocolCheck();
        ProtocolCheckConfig my = parse("    option mysql-check user haproxy post-80\n").backend("be")
                .backendOptions().protocolCheck();
        ProtocolCheckConfig redis = parse("    option redis-check\n").backend("be").backendOptions().protocolCheck();

        assertThat(pg.name()).isEqualTo("pgsql-check");
        assertThat(pg.args()).containsExactly("user", "haproxy");
        assertThat(my.name()).isEqualTo("mysql-check");
        assertThat(my.script().steps()).hasSize(5);
        assertThat(redis.name()).isEqualTo("redis-check");
    }

    @Test
    void shouldReplaceAnEarlierTcpCheckAsHaproxysCheckTypesDo() throws ConfigException {
        TetherConfig c = parse("    option tcp-check\n    option redis-check\n");

        assertThat(c.backend("be").backendOptions().tcpCheck()).isFalse();
        assertThat(c.backend("be").backendOptions().protocolCheck().name()).isEqualTo("redis-check");
    }

    @Test
    void shouldReportAnArgumentErrorWithFileLineAndKeyword() {
        assertThatThrownBy(() -> parse("    option pgsql-check\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("db.cfg:2")
                .hasMessageContaining("pgsql-check")
                .hasMessageContaining("expects 'user <username>'");
        assertThatThrownBy(() -> parse("    option mysql-check user haproxy post-57\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("db.cfg:2")
                .hasMessageContaining("unknown client version 'post-57'");
        assertThatThrownBy(() -> parse("    option redis-check now\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("db.cfg:2")
                .hasMessageContaining("takes no arguments (got 'now')");
    }
}
