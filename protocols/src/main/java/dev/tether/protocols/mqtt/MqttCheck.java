package dev.tether.protocols.mqtt;

import dev.tether.spi.CheckScript;
import dev.tether.spi.CheckScript.Result;
import io.netty.buffer.ByteBuf;
import java.util.List;

/**
 * {@code option mqtt-check}: connects as MQTT 3.1.1 with Client Identifier "tether-check" and CleanSession 1 (so the
 * broker keeps nothing), expects a CONNACK with return code 0, then says DISCONNECT. A refusal fails the check with
 * the code and its meaning (0x05 not authorized: the broker wants credentials), reported L7STS; an answer that is
 * no CONNACK is L7RSP.
 */
final class MqttCheck {

    /** 3.1.1 CONNECT: "MQTT", level 4, CleanSession, Keep Alive 60 s, Client Identifier "tether-check". */
    static final byte[] CONNECT = {
        0x10, 0x18,
        0x00, 0x04, 'M', 'Q', 'T', 'T', 0x04, 0x02, 0x00, 0x3C,
        0x00, 0x0C, 't', 'e', 't', 'h', 'e', 'r', '-', 'c', 'h', 'e', 'c', 'k'
    };

    /** 3.1.1 DISCONNECT (§3.14): the client leaves cleanly, so the broker logs no lost connection. */
    static final byte[] DISCONNECT = {(byte) 0xE0, 0x00};

    private MqttCheck() {
    }

    static CheckScript create(List<String> args) {
        if (!args.isEmpty()) {
            throw new IllegalArgumentException("'option mqtt-check' takes no argument");
        }
        return CheckScript.of(
                CheckScript.send(CONNECT),
                CheckScript.expect("expect CONNACK", MqttCheck::judge),
                CheckScript.send(DISCONNECT));
    }

    static Result judge(ByteBuf received, boolean ended) {
        int index = received.readerIndex();
        FixedHeader header;
        try {
            header = FixedHeader.peek(received, index);
        } catch (MalformedPacketException e) {
            return Result.fail("not MQTT: " + e.getMessage());
        }
        if (header == null) {
            return ended ? ended(received) : Result.WAIT;
        }
        if (header.type() != FixedHeader.CONNACK) {
            return Result.fail("expected CONNACK, got " + PacketNames.of(header.type()) + " (first byte 0x"
                    + Properties.hex(received.getUnsignedByte(index)) + ")");
        }
        if (received.readableBytes() < header.packetLength()) {
            return ended ? ended(received) : Result.WAIT;
        }
        ConnAckPacket connAck;
        try {
            connAck = ConnAckPacket.parse(received, index, header, false);
        } catch (MalformedPacketException e) {
            return Result.fail("malformed CONNACK: " + e.getMessage());
        }
        // a refusal is the broker answering in MQTT with an error status: L7STS, as HAProxy reports a MySQL ERR
        return connAck.accepted() ? Result.PASS
                : Result.wrongStatus("CONNACK refused the connection: " + ConnAckPacket.describe(connAck.code()));
    }

    private static Result ended(ByteBuf received) {
        return Result.fail("connection closed after " + received.readableBytes() + " byte(s), before a whole CONNACK");
    }
}
