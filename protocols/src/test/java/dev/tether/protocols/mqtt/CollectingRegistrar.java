package dev.tether.protocols.mqtt;

import dev.tether.rules.SampleExpression;
import dev.tether.rules.SampleRegistry;
import dev.tether.spi.BalanceKeyword;
import dev.tether.spi.CheckKeyword;
import dev.tether.spi.ConverterKeyword;
import dev.tether.spi.FetchKeyword;
import dev.tether.spi.FilterKeyword;
import dev.tether.spi.PersistKeyword;
import dev.tether.spi.Registrar;
import java.util.HashMap;
import java.util.Map;

/**
 * Registers the MQTT plugin the way the core's loader does, for tests: its fetches and converters join the core's
 * standard ones, so expressions compile exactly as in a configuration.
 */
final class CollectingRegistrar implements Registrar {

    private final SampleRegistry.Builder samples = SampleRegistry.standard().toBuilder();
    final Map<String, FilterKeyword> filters = new HashMap<>();
    final Map<String, CheckKeyword> checks = new HashMap<>();

    static CollectingRegistrar withMqtt() {
        CollectingRegistrar r = new CollectingRegistrar();
        new MqttPlugin().register(r);
        return r;
    }

    SampleExpression compile(String expression) {
        return SampleExpression.compile(expression, samples.build());
    }

    @Override
    public void fetch(FetchKeyword fetch) {
        samples.fetch(fetch);
    }

    @Override
    public void converter(ConverterKeyword converter) {
        samples.converter(converter);
    }

    @Override
    public void acl(String name, String condition, String summary) {
        throw new AssertionError("MQTT registers no ACL");
    }

    @Override
    public void balance(BalanceKeyword algorithm) {
        throw new AssertionError("MQTT registers no balance algorithm");
    }

    @Override
    public void persist(PersistKeyword rule) {
        throw new AssertionError("MQTT registers no persistence rule");
    }

    @Override
    public void check(CheckKeyword check) {
        checks.put(check.name(), check);
    }

    @Override
    public void filter(FilterKeyword filter) {
        filters.put(filter.name(), filter);
    }
}
