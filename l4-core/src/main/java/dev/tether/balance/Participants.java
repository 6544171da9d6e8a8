package dev.tether.balance;

import dev.tether.model.ServerModel;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Which servers an algorithm balances over right now (CFG §5.2 backup, §4.2 option allbackups): the active
 * servers while any of them is balanceable; else every backup with {@code option allbackups}, or only the first
 * balanceable backup by id. Each such set is a fixed group built once, so a pick selects a group by index and
 * allocates nothing; algorithms keep their per-group state in arrays indexed the same way.
 *
 * <p>Groups: 0 = the actives, 1 = all backups, 2 + i = backup i alone. Servers are ordered by id in each group.
 */
final class Participants {

    static final int NONE = -1;
    static final int ACTIVES = 0;
    static final int ALL_BACKUPS = 1;

    private final ServerModel[][] groups;
    private final boolean allBackups;

    Participants(List<ServerModel> servers, boolean allBackups) {
        this.allBackups = allBackups;
        List<ServerModel> actives = new ArrayList<>();
        List<ServerModel> backups = new ArrayList<>();
        for (ServerModel s : servers) {
            (s.backup() ? backups : actives).add(s);
        }
        Comparator<ServerModel> byId = Comparator.comparingInt(ServerModel::id);
        actives.sort(byId);
        backups.sort(byId);
        groups = new ServerModel[2 + backups.size()][];
        groups[ACTIVES] = actives.toArray(new ServerModel[0]);
        groups[ALL_BACKUPS] = backups.toArray(new ServerModel[0]);
        for (int i = 0; i < backups.size(); i++) {
            groups[2 + i] = new ServerModel[] {backups.get(i)};
        }
    }

    int groupCount() {
        return groups.length;
    }

    ServerModel[] servers(int group) {
        return groups[group];
    }

    /** The group to balance over now, or {@link #NONE} when no server at all is balanceable. */
    int select(long nowNanos) {
        if (anyBalanceable(groups[ACTIVES], nowNanos)) {
            return ACTIVES;
        }
        ServerModel[] backups = groups[ALL_BACKUPS];
        for (int i = 0; i < backups.length; i++) {
            if (backups[i].state().balanceable(nowNanos)) {
                return allBackups ? ALL_BACKUPS : 2 + i;
            }
        }
        return NONE;
    }

    private static boolean anyBalanceable(ServerModel[] servers, long nowNanos) {
        for (ServerModel s : servers) {
            if (s.state().balanceable(nowNanos)) {
                return true;
            }
        }
        return false;
    }

    /** Whether the server has reached its connection limit now (slow start ramps the limit). */
    static boolean full(ServerModel s, long nowNanos) {
        int max = s.maxConnNow(nowNanos);
        return max > 0 && s.state().connections().current() >= max;
    }
}
