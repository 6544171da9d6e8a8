package dev.tether.protocols;

import dev.tether.testing.PluginContract;
import org.junit.jupiter.api.Test;

/** The protocols module keeps the plugin contract (see {@link PluginContract}). */
class PluginContractTest {

    @Test
    void shouldDependOnTheSpiOnly() {
        PluginContract.assertDependsOnSpiOnly("dev.tether.protocols");
    }

    @Test
    void shouldDocumentEveryKeywordItRegisters() throws Exception {
        PluginContract.assertDocumentedAndKnown("protocols", PluginContract.discovered("protocols"));
    }
}
