package dev.tether.it.harness;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.config.ConfigLoader;
import dev.tether.config.ProxyConfig;
import dev.tether.config.TetherConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The configuration text the through-Tether tests hand to {@link RunningTether}, checked by the real parser. */
class RunningTetherConfigIT {

    @Test
    void shouldParseTheHarnessDefaultsAndAListenSectionWithoutNotices() throws Exception {
        TetherConfig config = ConfigLoader.parse("test.cfg", RunningTether.DEFAULTS + """
                listen pg
                    bind 127.0.0.1:0
                    server s1 "${PG}"
                """, Map.of("PG", "127.0.0.1:5432"));
        assertThat(config.notices()).isEmpty();
        ProxyConfig pg = config.proxies().stream().filter(p -> p.name().equals("pg")).findFirst().orElseThrow();
        assertThat(pg.servers()).hasSize(1);
        assertThat(pg.servers().get(0).name()).isEqualTo("s1");
        assertThat(pg.servers().get(0).host()).isEqualTo("127.0.0.1");
        assertThat(pg.servers().get(0).port().toString()).contains("5432");
    }
}
