package dev.tether.it.harness;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * HAProxy 2.6 and Tether running the same configuration sections, each with an admin runtime API, for tests that
 * drive both through the same steps and compare what their {@code show stat} says.
 */
public final class ParityPair implements AutoCloseable {

    private final PeerProgram haproxy;
    private final RunningTether tether;
    private final StatsSocket haproxyApi;
    private final StatsSocket tetherApi;

    private ParityPair(PeerProgram haproxy, RunningTether tether, StatsSocket haproxyApi, StatsSocket tetherApi) {
        this.haproxy = haproxy;
        this.tether = tether;
        this.haproxyApi = haproxyApi;
        this.tetherApi = tetherApi;
    }

    /** Starts both with {@code sections} (no {@code ${...}} variables: HAProxy reads the text as it is). */
    public static ParityPair start(Path dir, String sections) throws Exception {
        Path haproxySocket = dir.resolve("haproxy.sock");
        Path tetherSocket = dir.resolve("tether.sock");
        PeerProgram haproxy = PeerProgram.haproxyWithStats(dir, haproxySocket, sections);
        try {
            RunningTether tether = RunningTether.start("global\n stats socket \"" + tetherSocket + "\" level admin\n"
                    + sections, Map.of());
            return new ParityPair(haproxy, tether, new StatsSocket(haproxySocket), new StatsSocket(tetherSocket));
        } catch (Exception | Error e) {
            haproxy.close();
            throw e;
        }
    }

    public StatsSocket tether() {
        return tetherApi;
    }

    public StatsSocket haproxy() {
        return haproxyApi;
    }

    /** Tether's API first, then HAProxy's: the order steps are taken in. */
    public List<StatsSocket> both() {
        return List.of(tetherApi, haproxyApi);
    }

    @Override
    public void close() throws Exception {
        try {
            tether.close();
        } finally {
            haproxy.close();
        }
    }
}
