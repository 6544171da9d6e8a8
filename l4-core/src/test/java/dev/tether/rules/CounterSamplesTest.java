package dev.tether.rules;

import dev.tether.spi.SampleType;

import dev.tether.spi.ConverterKeyword;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.config.StickTableConfig.DataType;
import dev.tether.config.StickTableConfig.KeyType;
import dev.tether.spi.SessionView;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class CounterSamplesTest {

    private final FakeStickTable own = new FakeStickTable("fe", KeyType.IP, DataType.CONN_CNT, DataType.CONN_CUR,
            DataType.CONN_RATE, DataType.SESS_CNT, DataType.SESS_RATE, DataType.BYTES_IN_CNT, DataType.BYTES_OUT_CNT,
            DataType.BYTES_IN_RATE, DataType.BYTES_OUT_RATE, DataType.GPC0, DataType.GPC1, DataType.GPT0);
    private final FakeStickTable persist = new FakeStickTable("persist", KeyType.IP);
    private final FakeStickTable byName = new FakeStickTable("names", KeyType.STRING, DataType.CONN_CUR);
    private final TestCoreSession client = new TestCoreSession("10.0.0.7", 40000)
            .table(own, true).table(persist, false).table(byName, false);

    private static Object eval(String expression, SessionView s) {
        return SampleExpression.compile(expression, SampleRegistry.standard()).evaluate(s);
    }

    private Object eval(String expression) {
        return eval(expression, client);
    }

    @Test
    void srcFetchesReadTheClientAddressEntryOfTheCurrentTable() throws Exception {
        own.put("10.0.0.7").with(DataType.CONN_RATE, 12).with(DataType.CONN_CUR, 3).with(DataType.GPC1, 5)
                .with(DataType.BYTES_IN_CNT, 3000).with(DataType.BYTES_OUT_RATE, 77).with(DataType.GPT0, 9);
        own.put("10.0.0.8").with(DataType.CONN_RATE, 99);
        assertThat(eval("src_conn_rate")).isEqualTo(12L);
        assertThat(eval("src_conn_cur()")).isEqualTo(3L);
        assertThat(eval("src_get_gpc1")).isEqualTo(5L);
        assertThat(eval("src_get_gpt0")).isEqualTo(9L);
        assertThat(eval("src_bytes_out_rate")).isEqualTo(77L);
        assertThat(eval("src_bytes_in_cnt")).isEqualTo(3000L);
        assertThat(eval("src_kbytes_in")).isEqualTo(2L);
        assertThat(eval("src_sess_cnt")).isEqualTo(0L);
        assertThat(own.touches).as("lookups refresh nothing").isZero();
    }

    @Test
    void srcFetchesAnswerZeroWithoutAnEntryAndNothingWhenTheTableLacksTheData() throws Exception {
        assertThat(eval("src_conn_rate")).isEqualTo(0L);
        persist.put("10.0.0.7");
        assertThat(eval("src_conn_rate(persist)")).isNull();
        assertThat(eval("src_conn_cur(names)")).as("an address is no key of a string table").isNull();
        assertThat(eval("src_conn_cur(nosuch)")).isNull();
    }

    @Test
    void srcFetchesReadANamedTable() throws Exception {
        own.put("10.0.0.7").with(DataType.CONN_CNT, 4);
        FakeStickTable other = new FakeStickTable("other", KeyType.IP, DataType.CONN_CNT);
        other.put("10.0.0.7").with(DataType.CONN_CNT, 40);
        client.table(other, false);
        assertThat(eval("src_conn_cnt")).isEqualTo(4L);
        assertThat(eval("src_conn_cnt(other)")).isEqualTo(40L);
    }

    @Test
    void srcIncGpc0CreatesTheEntryRefreshesItAndGivesTheNewValue() throws Exception {
        assertThat(eval("src_inc_gpc0")).isEqualTo(1L);
        assertThat(eval("src_inc_gpc0")).isEqualTo(2L);
        assertThat(own.touches).isEqualTo(2);
        assertThat(own.lookup(InetAddress.getByName("10.0.0.7")).get(DataType.GPC0)).isEqualTo(2L);
        assertThat(eval("src_inc_gpc1")).isEqualTo(1L);
        assertThat(eval("src_inc_gpc0(persist)")).as("gpc0 not stored: the entry exists, the value is 0")
                .isEqualTo(0L);
        assertThat(persist.size()).isEqualTo(1);
    }

    @Test
    void trackedCounterFetchesReadTheEntryTrackedByEachCounter() throws Exception {
        client.track(0, own.put("10.0.0.7").with(DataType.CONN_CUR, 2).with(DataType.SESS_RATE, 8));
        client.track(2, own.put("10.9.9.9").with(DataType.CONN_CUR, 20));
        assertThat(eval("sc0_conn_cur")).isEqualTo(2L);
        assertThat(eval("sc0_sess_rate")).isEqualTo(8L);
        assertThat(eval("sc2_conn_cur")).isEqualTo(20L);
        assertThat(eval("sc_conn_cur(2)")).isEqualTo(20L);
        assertThat(eval("sc1_conn_cur")).as("counter 1 tracks nothing").isNull();
        assertThat(eval("sc_conn_cur(1)")).isNull();
        assertThat(eval("sc0_tracked")).isEqualTo(true);
        assertThat(eval("sc1_tracked")).isEqualTo(false);
    }

    @Test
    void aTrackedCounterWithATableLooksTheTrackedKeyUpThere() throws Exception {
        client.track(1, own.put("10.0.0.7").with(DataType.GPC0, 1));
        FakeStickTable other = new FakeStickTable("other", KeyType.IP, DataType.GPC0);
        other.put("10.0.0.7").with(DataType.GPC0, 6);
        client.table(other, false);
        assertThat(eval("sc1_get_gpc0")).isEqualTo(1L);
        assertThat(eval("sc1_get_gpc0(other)")).isEqualTo(6L);
        assertThat(eval("sc_get_gpc0(1,other)")).isEqualTo(6L);
        assertThat(eval("sc1_get_gpc0(persist)")).as("not stored there").isNull();
    }

    @Test
    void trackedIncGpcIncrementsTheTrackedEntry() throws Exception {
        FakeStickTable.Entry e = own.put("10.0.0.7");
        client.track(0, e);
        assertThat(eval("sc0_inc_gpc0")).isEqualTo(1L);
        assertThat(eval("sc0_inc_gpc1")).isEqualTo(1L);
        assertThat(eval("sc0_get_gpc0")).isEqualTo(1L);
        assertThat(eval("sc1_inc_gpc0")).isNull();
    }

    @Test
    void tableConvertersLookTheInputUpWithoutRefreshing() throws Exception {
        own.put("10.0.0.7").with(DataType.CONN_CNT, 5).with(DataType.BYTES_OUT_CNT, 4096);
        own.put("10.0.0.7").serverId(3);
        persist.put("10.0.0.0").serverId(2);
        assertThat(eval("src,table_conn_cnt(fe)")).isEqualTo(5L);
        assertThat(eval("src,table_server_id(fe)")).isEqualTo(3L);
        assertThat(eval("src,table_kbytes_out(fe)")).isEqualTo(4L);
        assertThat(eval("src,table_bytes_out_cnt(fe)")).isEqualTo(4096L);
        assertThat(eval("src,ipmask(24),table_server_id(persist)")).isEqualTo(2L);
        assertThat(eval("dst,table_conn_cnt(fe)")).as("no entry").isEqualTo(0L);
        assertThat(eval("src,table_conn_cnt(persist)")).as("not stored").isNull();
        assertThat(eval("src,table_conn_cnt(nosuch)")).isNull();
        assertThat(eval("src_port,table_conn_cur(names)")).as("an integer is no key of a string table").isNull();
        assertThat(eval("src,lower,table_conn_cur(names)")).isEqualTo(0L);
        assertThat(own.touches + persist.touches).isZero();
    }

    @Test
    void tableConvertersTakeAnySampleTypeAndGiveIntegers() {
        ConverterKeyword k = SampleRegistry.standard().converter("table_gpc0");
        assertThat(k.input()).isEqualTo(SampleType.ANY);
        assertThat(k.output()).isEqualTo(SampleType.INT);
    }

    @Test
    void aPlainSessionViewHasNoCounters() {
        TestSession plain = TestSession.of("10.0.0.7", 1, "10.0.0.1", 2);
        assertThat(eval("src_conn_rate", plain)).isNull();
        assertThat(eval("src_inc_gpc0", plain)).isNull();
        assertThat(eval("sc0_conn_cur", plain)).isNull();
        assertThat(eval("sc0_tracked", plain)).isNull();
        assertThat(eval("src,table_conn_cnt(fe)", plain)).isNull();
    }

    @Test
    void aRateLimitAclComparesTheSourceRate() throws Exception {
        Condition tooFast = PayloadFetchesTest.condition("{ src_conn_rate gt 10 }");
        own.put("10.0.0.7").with(DataType.CONN_RATE, 11);
        assertThat(tooFast.evaluate(client)).isEqualTo(Match.TRUE);
        own.put("10.0.0.7").with(DataType.CONN_RATE, 10);
        assertThat(tooFast.evaluate(client)).isEqualTo(Match.FALSE);
    }

    @Test
    void anAclMatchesAConverterChainOverTableData() throws Exception {
        Condition stuck = PayloadFetchesTest.condition("{ src,ipmask(24),table_server_id(persist) 2 }");
        assertThat(stuck.evaluate(client)).isEqualTo(Match.FALSE);
        persist.put("10.0.0.0").serverId(2);
        assertThat(stuck.evaluate(client)).isEqualTo(Match.TRUE);
    }
}
