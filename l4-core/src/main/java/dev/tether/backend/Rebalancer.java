package dev.tether.backend;

import dev.tether.config.RebalanceConfig;
import dev.tether.model.BackendModel;
import dev.tether.model.LiveSession;
import dev.tether.model.ServerModel;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code option rebalance} for one backend: every interval, on the control thread, compares each balanceable active
 * server's live sessions with its weighted fair share of them. When the most loaded one holds more than its share
 * by more than {@code max-skew} percent, sessions are asked to leave it, the newest first and at most
 * {@code rate × interval} per round, paced at {@code rate} per second; their clients reconnect and balancing
 * (leastconn, ideally) places them on the servers below their share. Sessions already asked to leave do not count,
 * so a round never asks twice for the same excess; a server that just came back is filled by new and moved
 * sessions alike, never by a reconnect storm.
 *
 * <p>Backup servers take no part: failback from backups is {@code on-marked-up evict-backup-sessions}. Nor does a
 * checked server whose last check failed (or has not run yet): between a server's death and its checks marking it
 * down it still looks up, and empty.
 */
final class Rebalancer implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(ServerControl.class);

    private final ServerControl control;
    private final BackendModel backend;
    private final RebalanceConfig config;

    Rebalancer(ServerControl control, BackendModel backend, RebalanceConfig config) {
        this.control = control;
        this.backend = backend;
        this.config = config;
    }

    @Override
    public void run() {
        try {
            round(System.nanoTime());
        } catch (RuntimeException e) {
            LOG.warn("backend {}: rebalancing round failed: {}", backend.name(), e.toString());
        }
    }

    /** One look at the spread; returns how many sessions were asked to leave. */
    int round(long nowNanos) {
        // One snapshot of each server's staying sessions and weight: the decision and the eviction use the same one.
        Map<ServerModel, List<LiveSession>> staying = new LinkedHashMap<>();
        Map<ServerModel, Integer> weights = new HashMap<>();
        long totalWeight = 0;
        int totalSessions = 0;
        for (ServerModel s : backend.servers()) {
            if (takesPart(s, nowNanos)) {
                List<LiveSession> sessions = staying(s);
                int weight = s.state().effectiveWeight(nowNanos, s.options().slowStart());
                staying.put(s, sessions);
                weights.put(s, weight);
                totalWeight += weight;
                totalSessions += sessions.size();
            }
        }
        if (staying.size() < 2 || totalWeight == 0 || totalSessions == 0) {
            return 0;
        }
        ServerModel worst = null;
        double worstExcess = 0;
        int worstAllowed = 0;
        for (Map.Entry<ServerModel, List<LiveSession>> e : staying.entrySet()) {
            double share = (double) totalSessions * weights.get(e.getKey()) / totalWeight;
            // at most share × (1 + skew), but never fewer than the share itself rounded up
            int allowed = (int) Math.max(Math.ceil(share), Math.floor(share * (100 + config.maxSkewPercent()) / 100.0));
            double excess = e.getValue().size() - allowed;
            if (excess > worstExcess) {
                worst = e.getKey();
                worstExcess = excess;
                worstAllowed = allowed;
            }
        }
        if (worst == null) {
            return 0;
        }
        List<LiveSession> candidates = staying.get(worst);
        candidates.sort(Comparator.comparingLong(LiveSession::serverSinceNanos).reversed());
        long budget = Math.max(1, config.ratePerSecond() * config.intervalMillis() / 1000);
        int count = (int) Math.min(budget, candidates.size() - worstAllowed);
        if (count <= 0) {
            return 0;
        }
        LOG.info("backend {}: rebalancing: {} holds {} session(s), {} at most for its share (max-skew {}%):"
                + " moving {} at {}/s", backend.name(), worst.name(), candidates.size(), worstAllowed,
                config.maxSkewPercent(), count, config.ratePerSecond());
        control.evictSome(worst, candidates.subList(0, count), config.ratePerSecond(),
                backend.options().evictGrace());
        return count;
    }

    /**
     * Active, balanceable, and, when checked, with a passing last check: a server that just died looks up and
     * empty until its checks notice, and must not draw sessions away from healthy ones meanwhile.
     */
    private static boolean takesPart(ServerModel s, long nowNanos) {
        if (s.backup() || !s.state().balanceable(nowNanos)) {
            return false;
        }
        return !s.state().checksEnabled() || s.state().lastCheck().success();
    }

    private static List<LiveSession> staying(ServerModel s) {
        List<LiveSession> out = new ArrayList<>();
        for (LiveSession ls : s.state().sessions()) {
            if (!ls.leaving()) {
                out.add(ls);
            }
        }
        return out;
    }
}
