package dev.tether.ftp;

import dev.tether.testing.PluginContract;
import org.junit.jupiter.api.Test;

/** The ftp-affinity module keeps the plugin contract (see {@link PluginContract}). */
class PluginContractTest {

    @Test
    void shouldDependOnTheSpiOnly() {
        PluginContract.assertDependsOnSpiOnly("dev.tether.ftp");
    }

    @Test
    void shouldDocumentEveryKeywordItRegisters() throws Exception {
        PluginContract.assertDocumentedAndKnown("ftp-affinity", PluginContract.discovered("ftp-affinity"));
    }
}
