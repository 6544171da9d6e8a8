package dev.tether.rules;

import dev.tether.spi.SampleType;

import dev.tether.spi.ConverterKeyword;

import dev.tether.spi.Converter;

import dev.tether.spi.FetchKeyword;

import dev.tether.spi.Fetch;

import dev.tether.config.StickTableConfig.DataType;
import dev.tether.spi.SessionView;
import dev.tether.stick.StickEntry;
import dev.tether.stick.StickTable;
import java.net.InetSocketAddress;

/**
 * Stick table data as samples (CFG §7.3.1 {@code table_*}, §7.3.3 {@code sc*_*} and {@code src_*}):
 * <ul>
 *   <li>{@code sc0_<d>([<table>])}, {@code sc1_..}, {@code sc2_..} and {@code sc_<d>(<ctr>[,<table>])}: the entry
 *       tracked by {@code track-sc<ctr>}; no sample when the counter tracks nothing. With a table, the tracked key
 *       is looked up in that table instead.</li>
 *   <li>{@code src_<d>([<table>])}: the client's address looked up in the table ("" = the current proxy's); 0 when
 *       the address has no entry.</li>
 *   <li>{@code table_<d>(<table>)} converters: the input sample looked up in the table; 0 when absent.</li>
 * </ul>
 * A table that does not store the data type gives no sample (an entry tracked without a table to check reads 0).
 * Lookups refresh nothing, except {@code src_inc_gpc0/1} and {@code sc*_inc_gpc0/1}, which create the entry if
 * needed, refresh it and increment, as HAProxy does. Tables are resolved at run time through
 * {@link CoreSessionView#table}; a plain {@link SessionView} has no sample.
 */
final class CounterSamples {

    /** How a piece of entry data reads, and under which names. */
    private enum Data {
        CONN_CNT("conn_cnt", "conn_cnt", DataType.CONN_CNT, 1, true),
        CONN_CUR("conn_cur", "conn_cur", DataType.CONN_CUR, 1, true),
        CONN_RATE("conn_rate", "conn_rate", DataType.CONN_RATE, 1, true),
        SESS_CNT("sess_cnt", "sess_cnt", DataType.SESS_CNT, 1, true),
        SESS_RATE("sess_rate", "sess_rate", DataType.SESS_RATE, 1, true),
        // bytes_*_cnt are Tether's exact counts; kbytes_* are HAProxy's, in units of 1024 bytes.
        BYTES_IN_CNT("bytes_in_cnt", "bytes_in_cnt", DataType.BYTES_IN_CNT, 1, true),
        BYTES_OUT_CNT("bytes_out_cnt", "bytes_out_cnt", DataType.BYTES_OUT_CNT, 1, true),
        KBYTES_IN("kbytes_in", "kbytes_in", DataType.BYTES_IN_CNT, 1024, true),
        KBYTES_OUT("kbytes_out", "kbytes_out", DataType.BYTES_OUT_CNT, 1024, true),
        BYTES_IN_RATE("bytes_in_rate", "bytes_in_rate", DataType.BYTES_IN_RATE, 1, true),
        BYTES_OUT_RATE("bytes_out_rate", "bytes_out_rate", DataType.BYTES_OUT_RATE, 1, true),
        GPC0("get_gpc0", "gpc0", DataType.GPC0, 1, true),
        GPC1("get_gpc1", "gpc1", DataType.GPC1, 1, true),
        GPT0("get_gpt0", "gpt0", DataType.GPT0, 1, true),
        TRACKERS("trackers", "trackers", null, 1, false),
        SERVER_ID(null, "server_id", DataType.SERVER_ID, 1, false);

        /** {@code sc0_<fetch>}; null when there is no fetch form. */
        final String fetch;
        /** {@code table_<converter>}. */
        final String converter;
        /** null for what every entry has (trackers). */
        final DataType type;
        final long divisor;
        final boolean sourceForm;

        Data(String fetch, String converter, DataType type, long divisor, boolean sourceForm) {
            this.fetch = fetch;
            this.converter = converter;
            this.type = type;
            this.divisor = divisor;
            this.sourceForm = sourceForm;
        }

        long read(StickEntry e) {
            if (this == TRACKERS) {
                return e.trackers();
            }
            if (this == SERVER_ID) {
                return e.serverId();
            }
            return e.get(type) / divisor;
        }

        boolean storedIn(StickTable t) {
            return type == null || t.config().stores(type);
        }

        /** The value for an entry found (or not, then 0) in a table; null when the table does not store it. */
        Object in(StickTable t, StickEntry e) {
            if (!storedIn(t)) {
                return null;
            }
            return e == null ? 0L : read(e);
        }
    }

    private CounterSamples() {
    }

    static void register(SampleRegistry.Builder b) {
        for (Data d : Data.values()) {
            if (d.fetch != null) {
                for (int ctr = 0; ctr < 3; ctr++) {
                    int counter = ctr;
                    b.fetch(new FetchKeyword("sc" + ctr + "_" + d.fetch, SampleType.INT, d.converter
                            + " of the entry tracked by track-sc" + ctr + ": sc" + ctr + "_" + d.fetch + "([<table>])",
                            args -> tracked(d, counter, SampleArgs.optionalName(args, "[<table>]"))));
                }
                b.fetch(new FetchKeyword("sc_" + d.fetch, SampleType.INT, d.converter + " of the entry tracked by"
                        + " a counter: sc_" + d.fetch + "(<ctr>[,<table>])", args -> {
                            SampleArgs.count(args, 1, 2, "(<ctr>[,<table>])");
                            int counter = (int) SampleArgs.integer(args.get(0), "counter", 0, 2);
                            return tracked(d, counter, args.size() == 2 ? args.get(1) : "");
                        }));
            }
            if (d.sourceForm) {
                b.fetch(new FetchKeyword("src_" + d.fetch, SampleType.INT, d.converter + " of the client address's"
                        + " entry, 0 when it has none: src_" + d.fetch + "([<table>])",
                        args -> source(d, SampleArgs.optionalName(args, "[<table>]"))));
            }
            b.converter(new ConverterKeyword("table_" + d.converter, SampleType.ANY, SampleType.INT, d.converter
                    + " of the input's entry in a table, 0 when it has none: table_" + d.converter + "(<table>)",
                    args -> new TableLookup(d, SampleArgs.name(args, "(<table>)"))));
        }
        for (int gpc = 0; gpc < 2; gpc++) {
            int index = gpc;
            b.fetch(new FetchKeyword("src_inc_gpc" + gpc, SampleType.INT, "adds 1 to gpc" + gpc + " of the client"
                    + " address's entry, creating it if needed; gives the new value: src_inc_gpc" + gpc
                    + "([<table>])", args -> {
                        String table = SampleArgs.optionalName(args, "[<table>]");
                        return session -> {
                            StickTable t = table(session, table);
                            Object key = sourceKey(t, session);
                            return key == null ? null : increment(t, t.touch(key), index);
                        };
                    }));
            for (int ctr = 0; ctr < 3; ctr++) {
                int counter = ctr;
                b.fetch(new FetchKeyword("sc" + ctr + "_inc_gpc" + gpc, SampleType.INT, "adds 1 to gpc" + gpc
                        + " of the entry tracked by track-sc" + ctr + "; gives the new value: sc" + ctr + "_inc_gpc"
                        + gpc + "([<table>])", args -> {
                            String table = SampleArgs.optionalName(args, "[<table>]");
                            return session -> {
                                StickEntry e = trackedEntry(session, counter);
                                if (e == null) {
                                    return null;
                                }
                                if (table.isEmpty()) {
                                    return e.incrementGpc(index);
                                }
                                StickTable t = table(session, table);
                                Object key = t == null ? null : t.key(e.key());
                                return key == null ? null : increment(t, t.touch(key), index);
                            };
                        }));
            }
        }
        for (int ctr = 0; ctr < 3; ctr++) {
            int counter = ctr;
            b.fetch(new FetchKeyword("sc" + ctr + "_tracked", SampleType.BOOL, "whether track-sc" + ctr
                    + " tracks an entry", args -> {
                        SampleArgs.none(args);
                        return session -> session instanceof CoreSessionView
                                ? ((CoreSessionView) session).tracked(counter) != null : null;
                    }));
        }
    }

    private static Fetch tracked(Data d, int counter, String table) {
        return session -> {
            StickEntry e = trackedEntry(session, counter);
            if (e == null) {
                return null;
            }
            if (table.isEmpty()) {
                return d.read(e);
            }
            StickTable t = table(session, table);
            Object key = t == null ? null : t.key(e.key());
            return key == null ? null : d.in(t, t.lookup(key));
        };
    }

    private static Fetch source(Data d, String table) {
        return session -> {
            StickTable t = table(session, table);
            Object key = sourceKey(t, session);
            return key == null ? null : d.in(t, t.lookup(key));
        };
    }

    private static Long increment(StickTable t, StickEntry e, int index) {
        if (e == null || !t.config().stores(index == 0 ? DataType.GPC0 : DataType.GPC1)) {
            return 0L;
        }
        return e.incrementGpc(index);
    }

    private static StickEntry trackedEntry(SessionView session, int counter) {
        return session instanceof CoreSessionView ? ((CoreSessionView) session).tracked(counter) : null;
    }

    private static StickTable table(SessionView session, String name) {
        return session instanceof CoreSessionView ? ((CoreSessionView) session).table(name) : null;
    }

    /** The client's address as a key of {@code t}; null without a table, an address, or a fitting key type. */
    private static Object sourceKey(StickTable t, SessionView session) {
        InetSocketAddress src = t == null ? null : session.source();
        return src == null || src.getAddress() == null ? null : t.key(src.getAddress());
    }

    /** {@code table_<d>(<table>)}: needs the session to find the table, so it overrides the two-argument form. */
    private record TableLookup(Data data, String tableName) implements Converter {
        @Override
        public Object convert(Object sample) {
            return null;
        }

        @Override
        public Object convert(SessionView session, Object sample) {
            StickTable t = table(session, tableName);
            Object key = t == null || sample == null ? null : t.key(sample);
            return key == null ? null : data.in(t, t.lookup(key));
        }
    }
}
