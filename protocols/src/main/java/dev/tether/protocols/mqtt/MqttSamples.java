package dev.tether.protocols.mqtt;

import dev.tether.spi.ConverterKeyword;
import dev.tether.spi.Fetch;
import dev.tether.spi.FetchKeyword;
import dev.tether.spi.Registrar;
import dev.tether.spi.SampleType;
import dev.tether.spi.SessionView;
import java.util.function.Function;

/**
 * The {@code mqtt.*} fetches: fields of the client's CONNECT, read from the request buffer while the frontend
 * inspects it ({@code tcp-request inspect-delay}). Each answers "need more data" until the CONNECT is complete, and
 * no sample when the client's first bytes are not a valid CONNECT.
 */
final class MqttSamples {

    private MqttSamples() {
    }

    static void register(Registrar registrar) {
        registrar.fetch(FetchKeyword.of("mqtt.client_id", SampleType.STR,
                "the Client Identifier of the client's CONNECT; no sample when it is empty",
                fetch(c -> c.clientId().isEmpty() ? null : c.clientId())));
        registrar.fetch(FetchKeyword.of("mqtt.username", SampleType.STR,
                "the User Name of the client's CONNECT; no sample without one", fetch(ConnectPacket::username)));
        registrar.fetch(FetchKeyword.of("mqtt.clean_session", SampleType.BOOL,
                "the CONNECT's CleanSession flag (Clean Start in MQTT 5)", fetch(ConnectPacket::cleanSession)));
        registrar.fetch(FetchKeyword.of("mqtt.version", SampleType.INT,
                "the CONNECT's Protocol Level: 3 (MQTT 3.1), 4 (3.1.1) or 5 (5.0)", fetch(c -> (long) c.level())));
        registrar.fetch(FetchKeyword.of("mqtt.keepalive", SampleType.INT,
                "the CONNECT's Keep Alive in seconds (0: off)", fetch(c -> (long) c.keepAlive())));

        registrar.converter(new ConverterKeyword("mqtt_field_value", SampleType.BIN, SampleType.STR,
                "a field or MQTT 5 property of the CONNECT or CONNACK at the start of a binary sample:"
                        + " (<packettype>,<fieldname or property id>)", FieldValue::create));
        registrar.converter(new ConverterKeyword("mqtt_is_valid", SampleType.BIN, SampleType.BOOL,
                "whether a binary sample starts with a valid MQTT CONNECT or CONNACK", args -> {
                    if (!args.isEmpty()) {
                        throw new IllegalArgumentException("'mqtt_is_valid' takes no argument");
                    }
                    return FirstPacket::isValid;
                }));
    }

    private static Fetch fetch(Function<ConnectPacket, Object> field) {
        return (SessionView session) -> {
            Object connect = ConnectInspection.connect(session);
            if (connect == null || connect == Fetch.NEED_MORE_DATA) {
                return connect;
            }
            return field.apply((ConnectPacket) connect);
        };
    }
}
