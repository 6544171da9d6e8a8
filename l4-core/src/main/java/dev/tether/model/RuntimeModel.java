package dev.tether.model;

import java.util.List;

/**
 * Everything sessions need, built from one configuration and never changed afterwards: a reload builds a new one
 * while live sessions keep theirs. Shared by every event loop; only the counters inside it change.
 *
 * @param maxConn process-wide concurrent connection limit, resolved (never 0)
 * @param hardStopAfterMillis bound of a graceful stop, 0 = none
 * @param processCounter {@code %ac}
 */
public record RuntimeModel(List<FrontendModel> frontends, int maxConn, long hardStopAfterMillis,
        ConnCounter processCounter) {

    public RuntimeModel {
        frontends = List.copyOf(frontends);
    }

    public FrontendModel frontend(String name) {
        for (FrontendModel f : frontends) {
            if (f.name().equals(name)) {
                return f;
            }
        }
        return null;
    }
}
