package dev.tether.peers;

import dev.tether.peers.PeerWire.PeerProtocolException;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The dictionary a session keeps for {@code server_key} values, one per direction: the first time a name is sent it
 * goes with an id from 1 to 128 ({@code <length> <id> <name length> <name>}); afterwards the id alone stands for it
 * ({@code 01 <id>}); an empty value is {@code 00}. The sender reuses ids in turn when all 128 are taken. Both ends
 * forget the dictionary with the session.
 */
final class DictionaryCache {

    static final int ENTRIES = 128;

    private DictionaryCache() {
    }

    /** The sending side: names already sent in this session and their ids. */
    static final class Sending {
        private final Map<String, Integer> ids = new HashMap<>();
        private final String[] names = new String[ENTRIES + 1];
        private int next = 1;

        void write(ByteBuf out, String name) {
            if (name == null) {
                PeerWire.writeVarint(out, 0);
                return;
            }
            Integer known = ids.get(name);
            if (known != null) {
                PeerWire.writeVarint(out, 1);
                PeerWire.writeVarint(out, known);
                return;
            }
            int id = next;
            next = next == ENTRIES ? 1 : next + 1;
            if (names[id] != null) {
                ids.remove(names[id]);
            }
            names[id] = name;
            ids.put(name, id);
            byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
            int inner = PeerWire.varintLength(id) + PeerWire.varintLength(bytes.length) + bytes.length;
            PeerWire.writeVarint(out, inner);
            PeerWire.writeVarint(out, id);
            PeerWire.writeVarint(out, bytes.length);
            out.writeBytes(bytes);
        }
    }

    /** The receiving side: the names the peer has sent, by id. */
    static final class Receiving {
        private final String[] names = new String[ENTRIES + 1];

        /** The name a value stands for; null for an empty value or an id the peer never filled. */
        String read(ByteBuf in) throws PeerProtocolException {
            int length = PeerWire.length(in, "a dictionary value");
            if (length == 0) {
                return null;
            }
            int end = in.readerIndex() + length;
            long id = PeerWire.varint(in, "a dictionary id");
            if (id < 1 || id > ENTRIES) {
                throw new PeerProtocolException("dictionary id " + id + " outside 1-" + ENTRIES);
            }
            if (in.readerIndex() < end) {
                int n = (int) PeerWire.varint(in, "a dictionary entry");
                if (n < 0 || in.readerIndex() + n > end) {
                    throw new PeerProtocolException("a dictionary entry longer than its value");
                }
                names[(int) id] = in.readCharSequence(n, StandardCharsets.UTF_8).toString();
            }
            if (in.readerIndex() != end) {
                throw new PeerProtocolException("a dictionary value longer than its entry");
            }
            return names[(int) id];
        }
    }
}
