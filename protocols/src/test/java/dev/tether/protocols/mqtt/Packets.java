package dev.tether.protocols.mqtt;

/** Byte-exact packets built from the MQTT 3.1.1 and 5.0 specifications, shared by the tests. */
final class Packets {

    private Packets() {
    }

    /** 3.1.1, CleanSession 1, Keep Alive 60, Client Identifier "dev1" (protocols.md §4.2, checked with Netty). */
    static final String V311_DEV1 = "10 10 | 00 04 4D 51 54 54 | 04 | 02 | 00 3C | 00 04 64 65 76 31";

    /** 5.0, Clean Start 0, Keep Alive 30, Session Expiry Interval 3600, Client Identifier "dev1". */
    static final String V5_DEV1 = "10 16 | 00 04 4D 51 54 54 | 05 | 00 | 00 1E | 05 11 00 00 0E 10 | 00 04 64 65 76 31";

    /** 5.0, Clean Start 1, no properties, empty Client Identifier. */
    static final String V5_EMPTY_ID = "10 0D 00 04 4D 51 54 54 05 02 00 1E 00 00 00";

    /**
     * 3.1.1 with everything: User Name, Password, Will Retain, Will QoS 1, Will, CleanSession (flags EE), Keep Alive
     * 10, id "c1", will topic "w/t", will payload "bye", user "u", password 70 00 FF.
     */
    static final String V311_FULL = "10 20 | 00 04 4D 51 54 54 | 04 | EE | 00 0A | 00 02 63 31 | 00 03 77 2F 74"
            + " | 00 03 62 79 65 | 00 01 75 | 00 03 70 00 FF";

    /**
     * 5.0 with a password but no user name (allowed in 5.0), a will with properties (Will Delay Interval 5, Payload
     * Format Indicator 1), empty will payload, Keep Alive 0, id "c5" (flags 46).
     */
    static final String V5_WILL_PASSWORD = "10 20 | 00 04 4D 51 54 54 | 05 | 46 | 00 00 | 00 | 00 02 63 35"
            + " | 07 18 00 00 00 05 01 01 | 00 01 74 | 00 00 | 00 02 70 77";

    /** 3.1.1, CleanSession 0, Keep Alive 60, empty Client Identifier: must be refused with CONNACK 0x02. */
    static final String V311_EMPTY_ID_PERSISTENT = "10 0C 00 04 4D 51 54 54 04 00 00 3C 00 00";

    /** 3.1 ("MQIsdp", level 3), CleanSession 1, Keep Alive 60, id "dev1". */
    static final String V31_DEV1 = "10 12 | 00 06 4D 51 49 73 64 70 | 03 | 02 | 00 3C | 00 04 64 65 76 31";

    /** 3.1.1 CONNACK accepted. */
    static final String CONNACK_311_OK = "20 02 00 00";

    /** 5.0 CONNACK accepted with Server Keep Alive 2 s (property 13) and Assigned Client Identifier "a1" (12). */
    static final String CONNACK_5_OK_SKA2 = "20 0B 00 00 08 13 00 02 12 00 02 61 31";

    /** 5.0 CONNACK refused 0x9C with Server Reference "b.example.net:1883" (protocols.md §4.3). */
    static final String CONNACK_5_USE_ANOTHER = "20 18 00 9C 15 1C 00 12 62 2E 65 78 61 6D 70 6C 65 2E 6E 65 74 3A"
            + " 31 38 38 33";
}
