package dev.tether.spi;

import java.util.Objects;

/**
 * Names a value a plugin keeps with a session ({@link SessionView#get}, {@link SessionView#put}): a parsed packet
 * its fetches share, a fact its filter learned (the AMQP virtual host, the MQTT keep-alive). Compared by identity;
 * create one per value, as a constant.
 */
public final class SessionKey<T> {

    private final String name;

    public SessionKey(String name) {
        this.name = Objects.requireNonNull(name, "name");
    }

    public String name() {
        return name;
    }

    @Override
    public String toString() {
        return name;
    }
}
