package dev.tether.protocols.mqtt;

import io.netty.handler.codec.mqtt.MqttMessageType;

/** How logs and errors name a packet type: Netty's names, "reserved (0)" for the type no packet has. */
final class PacketNames {

    private PacketNames() {
    }

    static String of(int type) {
        try {
            return MqttMessageType.valueOf(type).name();
        } catch (IllegalArgumentException e) {
            return "reserved packet type " + type;
        }
    }
}
