package dev.tether.model;

import dev.tether.stick.StickTable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything sessions need, built from one configuration and never changed afterwards: a reload builds a new one
 * while live sessions keep theirs. Shared by every event loop; only the counters inside it change.
 *
 * @param maxConn process-wide concurrent connection limit, resolved (never 0)
 * @param hardStopAfterMillis bound of a graceful stop, 0 = none
 * @param backends every backend (and listen section's backend half), in configuration order
 * @param processCounter {@code %ac}; it carries the limit in force, which starts at {@code maxConn} and which
 *     {@code set maxconn global} changes
 * @param tables every stick table by section name, in configuration order
 */
public record RuntimeModel(List<FrontendModel> frontends, List<BackendModel> backends, int maxConn,
        long hardStopAfterMillis, ConnCounter processCounter, Map<String, StickTable> tables) {

    public RuntimeModel {
        if (processCounter.limit() == 0 && maxConn > 0) {
            processCounter.limit(maxConn);
        }
        frontends = List.copyOf(frontends);
        backends = List.copyOf(backends);
        tables = Collections.unmodifiableMap(new LinkedHashMap<>(tables));
    }

    /** A model without stick tables. */
    public RuntimeModel(List<FrontendModel> frontends, List<BackendModel> backends, int maxConn,
            long hardStopAfterMillis, ConnCounter processCounter) {
        this(frontends, backends, maxConn, hardStopAfterMillis, processCounter, Map.of());
    }

    /** The stick table of the section {@code name}, or null. */
    public StickTable table(String name) {
        return tables.get(name);
    }

    public BackendModel backend(String name) {
        for (BackendModel b : backends) {
            if (b.name().equals(name)) {
                return b;
            }
        }
        return null;
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
