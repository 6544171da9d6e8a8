package dev.tether.proxyproto;

import io.netty.handler.codec.DecoderException;

/** Bytes that are not a valid PROXY protocol header; the message says what is wrong, for the log line. */
public final class ProxyHeaderException extends DecoderException {

    private static final long serialVersionUID = 1L;

    public ProxyHeaderException(String message) {
        super(message);
    }
}
