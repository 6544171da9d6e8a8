package dev.tether.amqp;

import dev.tether.testing.PluginContract;
import org.junit.jupiter.api.Test;

/** The amqp-pool module keeps the plugin contract (see {@link PluginContract}). */
class PluginContractTest {

    @Test
    void shouldDependOnTheSpiOnly() {
        PluginContract.assertDependsOnSpiOnly("dev.tether.amqp");
    }

    @Test
    void shouldDocumentEveryKeywordItRegisters() throws Exception {
        PluginContract.assertDocumentedAndKnown("amqp-pool", PluginContract.discovered("amqp-pool"));
    }
}
