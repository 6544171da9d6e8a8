package dev.tether.runtime;

import dev.tether.stick.StickTable;
import dev.tether.stick.StickTables;
import java.util.List;
import java.util.Objects;

/**
 * The stick tables the table commands ({@code show table}, {@code clear table}, {@code set table}) reach: those
 * of the running configuration, swapped on reload with {@link RuntimeApi#tables(TableDirectory)}.
 */
public interface TableDirectory {

    /** No tables: every table command answers "No such table". */
    TableDirectory NONE = of(StickTables.NONE);

    /** A table by its section's name, or null. */
    StickTable table(String name);

    /** Every table, in configuration order. */
    List<StickTable> tables();

    /** The tables of a registry. */
    static TableDirectory of(StickTables registry) {
        Objects.requireNonNull(registry, "registry");
        return new TableDirectory() {
            @Override
            public StickTable table(String name) {
                return registry.table(name);
            }

            @Override
            public List<StickTable> tables() {
                return registry.all();
            }
        };
    }
}
