package dev.tether.amqp;

import dev.tether.spi.FetchKeyword;
import dev.tether.spi.FilterKeyword;
import dev.tether.spi.Registrar;
import dev.tether.spi.TetherPlugin;

/** Registers {@code filter amqp}, {@code option amqp-check} and the {@code amqp.*} fetches. */
public final class AmqpPlugin implements TetherPlugin {

    static final FilterKeyword FILTER = new FilterKeyword("amqp",
            "AMQP 0-9-1 frame tracking, dead-peer detection and polite eviction: filter amqp [amqp-1.0 pass|refuse]",
            args -> {
                AmqpFilter.Settings settings = AmqpFilter.Settings.parse(args);
                return context -> new AmqpFilter(context, settings);
            });

    @Override
    public String module() {
        return "amqp-pool";
    }

    @Override
    public void register(Registrar registrar) {
        registrar.filter(FILTER);
        registrar.check(AmqpCheck.KEYWORD);
        for (FetchKeyword f : AmqpFacts.FETCHES) {
            registrar.fetch(f);
        }
    }
}
