package dev.tether.protocols.mqtt;

import dev.tether.spi.CheckKeyword;
import dev.tether.spi.FilterKeyword;
import dev.tether.spi.Registrar;
import dev.tether.spi.StreamFilter;
import dev.tether.spi.TetherPlugin;
import io.netty.buffer.ByteBufUtil;
import java.util.List;

/**
 * MQTT for Tether: the {@code mqtt.*} fetches, the {@code mqtt_field_value} and {@code mqtt_is_valid} converters,
 * {@code filter mqtt [server-reference <text>]} and {@code option mqtt-check}.
 */
public final class MqttPlugin implements TetherPlugin {

    @Override
    public String module() {
        return "protocols";
    }

    @Override
    public void register(Registrar registrar) {
        MqttSamples.register(registrar);
        registrar.filter(new FilterKeyword("mqtt", "MQTT packet boundaries, CONNECT validation, MQTT 5 eviction"
                + " with DISCONNECT 0x9C and the keep-alive deadline: [server-reference <text>]",
                MqttPlugin::filterFactory));
        registrar.check(new CheckKeyword("mqtt-check", "an MQTT 3.1.1 CONNECT answered by CONNACK 0",
                MqttCheck::create));
    }

    static StreamFilter.Factory filterFactory(List<String> args) {
        String reference = null;
        if (!args.isEmpty()) {
            if (args.size() != 2 || !args.get(0).equals("server-reference")) {
                throw new IllegalArgumentException("expects nothing or 'server-reference <text>', got '"
                        + String.join(" ", args) + "'");
            }
            reference = args.get(1);
            if (reference.isEmpty() || ByteBufUtil.utf8Bytes(reference) > 0xFFFF) {
                throw new IllegalArgumentException("server-reference must be 1 to 65535 bytes of UTF-8");
            }
        }
        String serverReference = reference;
        return ctx -> new MqttFilter(ctx, serverReference, System::nanoTime);
    }
}
