package dev.tether.rdp;

import dev.tether.testing.PluginContract;
import org.junit.jupiter.api.Test;

/** The rdp-cookie module keeps the plugin contract (see {@link PluginContract}). */
class PluginContractTest {

    @Test
    void shouldDependOnTheSpiOnly() {
        PluginContract.assertDependsOnSpiOnly("dev.tether.rdp");
    }

    @Test
    void shouldDocumentEveryKeywordItRegisters() throws Exception {
        PluginContract.assertDocumentedAndKnown("rdp-cookie", PluginContract.discovered("rdp-cookie"));
    }
}
