package dev.tether.config;

/**
 * One address of a bind line with its inclusive port range; each port becomes one listening socket.
 *
 * @param host an IPv4 or IPv6 literal or host name; "" for the IPv4 wildcard ({@code *} or nothing), "::" for IPv6
 */
public record BindAddress(String host, int portLow, int portHigh) {

    public BindAddress {
        if (portLow < 0 || portHigh > 65535 || portLow > portHigh) {
            throw new IllegalArgumentException("bad port range " + portLow + "-" + portHigh);
        }
    }

    public int portCount() {
        return portHigh - portLow + 1;
    }
}
