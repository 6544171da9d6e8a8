package dev.tether.engine;

import dev.tether.config.ConfigLoader;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;

/**
 * A test that runs a real Tether, from configuration text, in front of real listeners ({@link Peers}); both are
 * closed after each test.
 */
abstract class RealEngineTest {

    protected final Peers peers = new Peers();
    protected Tether tether;

    /** Starts Tether with {@code cfg}, one event loop, and {@code options}' other settings. */
    protected Tether start(String cfg, TetherOptions options) throws Exception {
        tether = Tether.start(ConfigLoader.parse("t.cfg", cfg, Map.of()), options.withEventLoops(1));
        return tether;
    }

    @AfterEach
    void closeEngineAndPeers() throws Exception {
        if (tether != null) {
            tether.close();
        }
        peers.close();
    }
}
