package dev.tether.rdp;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The security protocols of RDP_NEG_REQ's {@code requestedProtocols} bitmask and RDP_NEG_RSP's
 * {@code selectedProtocol} (MS-RDPBCGR 2.2.1.1.1, 2.2.1.2.1), with the names {@code option rdp-check protocols}
 * takes. Standard RDP security is the absence of every bit.
 */
enum SecurityProtocol {
    SSL(0x1, "ssl"), HYBRID(0x2, "hybrid"), RDSTLS(0x4, "rdstls"), HYBRID_EX(0x8, "hybrid_ex"),
    RDSAAD(0x10, "rdsaad");

    private final int bit;
    private final String word;

    SecurityProtocol(int bit, String word) {
        this.bit = bit;
        this.word = word;
    }

    int bit() {
        return bit;
    }

    /**
     * The bitmask a comma-separated list names: {@code rdp} alone is standard RDP security (0); {@code tls} and
     * {@code nla} are accepted for {@code ssl} and {@code hybrid}, as operators know them.
     */
    static int parse(String list) {
        int mask = 0;
        boolean rdp = false;
        for (String w : list.split(",", -1)) {
            String word = w.trim().toLowerCase(Locale.ROOT);
            if (word.equals("rdp")) {
                rdp = true;
                continue;
            }
            SecurityProtocol p = byWord(word.equals("tls") ? "ssl" : word.equals("nla") ? "hybrid" : word);
            if (p == null) {
                throw new IllegalArgumentException("'" + w + "' is not a protocol (expected rdp, ssl, hybrid,"
                        + " rdstls, hybrid_ex or rdsaad, separated by commas)");
            }
            mask |= p.bit;
        }
        if (rdp && mask != 0) {
            throw new IllegalArgumentException("'rdp' (standard RDP security) is the absence of the others and"
                    + " cannot be combined with them");
        }
        return mask;
    }

    private static SecurityProtocol byWord(String word) {
        for (SecurityProtocol p : values()) {
            if (p.word.equals(word)) {
                return p;
            }
        }
        return null;
    }

    /** A bitmask as names, such as {@code SSL|HYBRID}; {@code RDP} for 0. */
    static String describe(long mask) {
        if (mask == 0) {
            return "RDP";
        }
        List<String> names = new ArrayList<>();
        long rest = mask;
        for (SecurityProtocol p : values()) {
            if ((mask & p.bit) != 0) {
                names.add(p.name());
                rest &= ~p.bit;
            }
        }
        if (rest != 0) {
            names.add("0x" + Long.toHexString(rest));
        }
        return String.join("|", names);
    }
}
