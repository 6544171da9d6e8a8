package dev.tether.protocols.tls;

import dev.tether.spi.FetchKeyword;
import dev.tether.spi.Registrar;
import dev.tether.spi.TetherPlugin;

/**
 * TLS without termination: fetches that read the ClientHello and ServerHello in the inspected bytes, for routing by
 * SNI or ALPN and for HAProxy's session-id stickiness recipe, and {@code option ssl-hello-chk}. Operators' guide:
 * docs/protocols/tls.md.
 */
public final class TlsPlugin implements TetherPlugin {

    @Override
    public String module() {
        return "protocols";
    }

    @Override
    public void register(Registrar registrar) {
        for (FetchKeyword k : HelloFetches.keywords()) {
            registrar.fetch(k);
        }
        registrar.check(SslHelloCheck.KEYWORD);
    }
}
