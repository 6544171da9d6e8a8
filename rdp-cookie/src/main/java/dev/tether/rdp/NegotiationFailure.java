package dev.tether.rdp;

/**
 * RDP_NEG_FAILURE's {@code failureCode} (MS-RDPBCGR 2.2.1.2.2): why a server refused the security protocols a
 * client offered. Health checks report the name, so an operator reads "HYBRID_REQUIRED_BY_SERVER" instead of 5.
 */
enum NegotiationFailure {
    SSL_REQUIRED_BY_SERVER(1), SSL_NOT_ALLOWED_BY_SERVER(2), SSL_CERT_NOT_ON_SERVER(3), INCONSISTENT_FLAGS(4),
    HYBRID_REQUIRED_BY_SERVER(5), SSL_WITH_USER_AUTH_REQUIRED_BY_SERVER(6);

    private final int code;

    NegotiationFailure(int code) {
        this.code = code;
    }

    /** The code's name and number, such as {@code HYBRID_REQUIRED_BY_SERVER (5)}; unknown codes in hex. */
    static String describe(long code) {
        for (NegotiationFailure f : values()) {
            if (f.code == code) {
                return f.name() + " (" + code + ")";
            }
        }
        return "unknown failure code 0x" + Long.toHexString(code);
    }
}
