package dev.tether.ftp;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet4Address;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/** Parsing and writing FTP's data addresses: RFC 959 PORT/227, RFC 2428 EPRT/229, with the RFCs' own examples. */
class DataAddressesTest {

    @Test
    void shouldReadTheRfcExamplesOfEprt() throws Exception {
        assertThat(DataAddresses.parseEprt("|1|132.235.1.2|6275|"))
                .isEqualTo(new DataAddresses.Announced(InetAddress.getByName("132.235.1.2"), 6275));
        assertThat(DataAddresses.parseEprt("|2|1080::8:800:200C:417A|5282|"))
                .isEqualTo(new DataAddresses.Announced(InetAddress.getByName("1080::8:800:200C:417A"), 5282));
        assertThat(DataAddresses.parseEprt("!1!132.235.1.2!6275!").port()).isEqualTo(6275);
    }

    @Test
    void shouldRefuseMalformedEprtWithoutLookingUpNames() {
        assertThat(DataAddresses.parseEprt("|1|example.com|21|")).isNull();
        assertThat(DataAddresses.parseEprt("|1|1.2.3|21|")).isNull();
        assertThat(DataAddresses.parseEprt("|1|1.2.3.256|21|")).isNull();
        assertThat(DataAddresses.parseEprt("|1|1.2.3.4|0|")).isNull();
        assertThat(DataAddresses.parseEprt("|1|1.2.3.4|21")).isNull();
        assertThat(DataAddresses.parseEprt("|2|fe80::zz|21|")).isNull();
        assertThat(DataAddresses.parseEprt("")).isNull();
        assertThat(DataAddresses.parseEprt("|3|x|21|")).isEqualTo(new DataAddresses.Announced(null, -1));
    }

    @Test
    void shouldReadPortArguments() throws Exception {
        assertThat(DataAddresses.parsePort("192,0,2,10,195,80"))
                .isEqualTo(new DataAddresses.Announced(InetAddress.getByName("192.0.2.10"), 50000));
        assertThat(DataAddresses.parsePort("192,0,2,10,195")).isNull();
        assertThat(DataAddresses.parsePort("192,0,2,300,195,80")).isNull();
        assertThat(DataAddresses.parsePort("192,0,2,10,0,0")).isNull();
    }

    @Test
    void shouldFindTheNumbersOf227AndWhereTheyAre() {
        String text = "227 Entering Passive Mode (192,0,2,10,195,80)\r\n";
        DataAddresses.Found f = DataAddresses.find227(text);
        assertThat(text.substring(f.start(), f.end())).isEqualTo("192,0,2,10,195,80");
        assertThat(f.announced().port()).isEqualTo(50000);
        assertThat(DataAddresses.find227("227 Entering Passive Mode (999,0,2,10,195,80) (1,2,3,4,5,6)").announced()
                .port()).as("the first valid group wins").isEqualTo(1286);
        assertThat(DataAddresses.find227("227 ok")).isNull();
    }

    @Test
    void shouldFind229PortsWithAnyDelimiter() {
        String text = "229 Entering Extended Passive Mode (|||50000|)\r\n";
        DataAddresses.Found f = DataAddresses.find229(text);
        assertThat(text.substring(f.start(), f.end())).isEqualTo("(|||50000|)");
        assertThat(f.announced().port()).isEqualTo(50000);
        assertThat(f.announced().address()).isNull();
        assertThat(DataAddresses.find229("229 (hint) (###6446#)").announced().port()).isEqualTo(6446);
        assertThat(DataAddresses.find229("229 (|1|192.0.2.1|6446|)").announced().address().getHostAddress())
                .isEqualTo("192.0.2.1");
        assertThat(DataAddresses.find229("229 (|||0|)")).isNull();
        assertThat(DataAddresses.find229("229 (|||70000|)")).isNull();
        assertThat(DataAddresses.find229("229 (|||50000")).isNull();
    }

    @Test
    void shouldWriteAddressesAsTheCommandsDo() throws Exception {
        assertThat(DataAddresses.sixNumbers((Inet4Address) InetAddress.getByName("192.0.2.10"), 50000))
                .isEqualTo("192,0,2,10,195,80");
        assertThat(DataAddresses.eprtArgument(InetAddress.getByName("132.235.1.2"), 6275))
                .isEqualTo("|1|132.235.1.2|6275|");
        assertThat(DataAddresses.eprtArgument(InetAddress.getByName("::1"), 5282)).isEqualTo("|2|0:0:0:0:0:0:0:1|5282|");
    }

    @Test
    void shouldReadVerbsPastTelnetBytesAndInAnyCase() {
        assertThat(DataAddresses.verb("port 1,2,3,4,5,6\r\n")).isEqualTo("PORT");
        assertThat(DataAddresses.verb("\u00ff\u00f4\u00ff\u00f2ABOR\r\n")).isEqualTo("ABOR");
        assertThat(DataAddresses.argument("eprt |1|1.2.3.4|5|\r\n", "EPRT")).isEqualTo("|1|1.2.3.4|5|");
    }
}
