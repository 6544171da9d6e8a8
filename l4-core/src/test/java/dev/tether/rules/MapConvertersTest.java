package dev.tether.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tether.spi.Converter;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MapConvertersTest {

    @TempDir
    Path dir;

    private String file(String... lines) throws IOException {
        Path p = Files.createTempFile(dir, "m", ".map");
        Files.writeString(p, String.join("\n", lines) + "\n");
        return p.toString();
    }

    private static Converter converter(String name, String... args) {
        return SampleRegistry.standard().converter(name).factory().create(List.of(args));
    }

    @Test
    void mapStrLooksUpTheExactKeyAndFallsBackToTheDefault() throws IOException {
        String f = file("# server names", "", "  shop.example.com   shop ", "api.example.com\tapi backend",
                "shop.example.com second");
        Converter map = converter("map", f, "www");
        assertThat(map.convert("shop.example.com")).isEqualTo("shop");
        assertThat(map.convert("api.example.com")).isEqualTo("api backend");
        assertThat(map.convert("SHOP.example.com")).isEqualTo("www");
        assertThat(converter("map_str", f).convert("nothing")).isNull();
    }

    @Test
    void listMethodsGiveTheFirstEntryThatMatches() throws IOException {
        String f = file("example.com zone", "db.example.com db");
        assertThat(converter("map_dom", f).convert("db.example.com")).isEqualTo("zone");
        assertThat(converter("map_dom", f).convert("badexample.com")).isNull();
        assertThat(converter("map_end", file(".example.com com", ".example.net net")).convert("a.example.net"))
                .isEqualTo("net");
        assertThat(converter("map_beg", file("db- db", "mq- mq")).convert("mq-1")).isEqualTo("mq");
        assertThat(converter("map_sub", file("cache c")).convert("img-cache-1")).isEqualTo("c");
        assertThat(converter("map_dir", file("vhost1 v1")).convert("/t/vhost1/q")).isEqualTo("v1");
        assertThat(converter("map_reg", file("^mq[0-9]+$ mq", ". any")).convert("mq12")).isEqualTo("mq");
        assertThat(converter("map_reg", file("^mq[0-9]+$ mq", ". any")).convert("mqx")).isEqualTo("any");
    }

    @Test
    void mapIpGivesTheLongestPrefixWhateverTheOrder() throws IOException {
        String f = file("10.0.0.0/8 wide", "10.1.0.0/16 narrow", "10.1.2.3 host", "::/0 v6", "0.0.0.0/0 any");
        Converter map = converter("map_ip", f);
        assertThat(map.convert(InetAddress.getByName("10.1.2.3"))).isEqualTo("host");
        assertThat(map.convert(InetAddress.getByName("10.1.9.9"))).isEqualTo("narrow");
        assertThat(map.convert(InetAddress.getByName("10.9.9.9"))).isEqualTo("wide");
        assertThat(map.convert(InetAddress.getByName("192.0.2.1"))).isEqualTo("any");
        assertThat(map.convert(InetAddress.getByName("2001:db8::1"))).isEqualTo("v6");
    }

    @Test
    void outputTypesAreCheckedWhenTheMapLoads() throws IOException {
        String ports = file("5432 1", "3306:3307 2");
        assertThat(converter("map_int_int", ports).convert(3307L)).isEqualTo(2L);
        assertThat(converter("map_int_int", ports, "0").convert(80L)).isEqualTo(0L);
        assertThat(converter("map_str_ip", file("db 10.0.0.5")).convert("db"))
                .isEqualTo(InetAddress.getByName("10.0.0.5"));
        String bad = file("a 1", "b two");
        assertThatThrownBy(() -> converter("map_str_int", bad))
                .hasMessage("'" + bad + "' line 2: value 'two' is not an integer");
        assertThatThrownBy(() -> converter("map_str_ip", file("a 10.0.0.1"), "nowhere"))
                .hasMessage("default value 'nowhere' is not an IP address");
    }

    @Test
    void aBadFileOrKeyIsAnErrorNamingTheFileAndLine() throws IOException {
        String noValue = file("# x", "lonely");
        assertThatThrownBy(() -> converter("map", noValue))
                .hasMessage("'" + noValue + "' line 2: key 'lonely' has no value after it");
        String badKey = file("10.0.0.300 x");
        assertThatThrownBy(() -> converter("map_ip", badKey))
                .hasMessageStartingWith("'" + badKey + "' line 1: key '10.0.0.300' is not an IP address");
        String badRegex = file("(a x");
        assertThatThrownBy(() -> converter("map_reg", badRegex))
                .hasMessageStartingWith("'" + badRegex + "' line 1: key '(a' is not a regular expression");
        assertThatThrownBy(() -> converter("map", dir.resolve("missing.map").toString()))
                .hasMessageStartingWith("cannot read map file '" + dir.resolve("missing.map") + "': NoSuchFileException");
        assertThatThrownBy(() -> converter("map")).isInstanceOf(IllegalArgumentException.class);
    }
}
