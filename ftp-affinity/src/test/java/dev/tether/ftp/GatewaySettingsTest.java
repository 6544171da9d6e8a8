package dev.tether.ftp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code filter ftp [data-ports <first>-<last>] [data-timeout <time>]}. */
class GatewaySettingsTest {

    @Test
    void shouldReadTheDataPortsAndTimeout() {
        assertThat(GatewaySettings.parse(List.of("data-ports", "50000-50999", "data-timeout", "10s")))
                .isEqualTo(new GatewaySettings(50000, 50999, 10_000));
    }

    @Test
    void shouldLetTheSystemChoosePortsByDefault() {
        assertThat(GatewaySettings.parse(List.of()))
                .isEqualTo(new GatewaySettings(0, 0, GatewaySettings.DEFAULT_TIMEOUT_MILLIS));
    }

    @Test
    void shouldRefuseBadArgumentsWithAReadableReason() {
        assertThatThrownBy(() -> GatewaySettings.parse(List.of("data-ports", "50999-50000")))
                .hasMessageContaining("ends before it starts");
        assertThatThrownBy(() -> GatewaySettings.parse(List.of("data-ports", "0-10")))
                .hasMessageContaining("is not a port");
        assertThatThrownBy(() -> GatewaySettings.parse(List.of("data-ports", "5000")))
                .hasMessageContaining("expects <first>-<last>");
        assertThatThrownBy(() -> GatewaySettings.parse(List.of("data-ports")))
                .hasMessageContaining("expects a value");
        assertThatThrownBy(() -> GatewaySettings.parse(List.of("passive", "yes")))
                .hasMessageContaining("unknown option 'passive'");
        assertThatThrownBy(() -> GatewaySettings.parse(List.of("data-timeout", "10x")))
                .hasMessageContaining("unknown time unit");
        assertThatThrownBy(() -> GatewaySettings.parse(List.of("data-timeout", "0")))
                .hasMessageContaining("at least 1 ms");
    }
}
