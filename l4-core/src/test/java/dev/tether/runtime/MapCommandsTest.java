package dev.tether.runtime;

import static dev.tether.runtime.CliFixture.send;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.config.StatsSocketConfig.Level;
import dev.tether.rules.MapStore;
import dev.tether.rules.MapStores;
import dev.tether.rules.SampleRegistry;
import dev.tether.spi.Converter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The map commands on a real socket, against a map file loaded by two converters as a configuration would load it
 * ({@code map_dom} giving strings, {@code map_str_int} giving numbers): each change must reach both converters.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MapCommandsTest {

    @TempDir
    Path dir;

    private final CliFixture fixture = new CliFixture();
    private final List<RuntimeApi> apis = new java.util.ArrayList<>();
    private String file;
    private Converter byDomain;
    private Converter weights;

    @BeforeEach
    void load() throws IOException {
        Path p = dir.resolve("sni.map");
        Files.writeString(p, "example.com 10\napi.example.net 20\n");
        file = p.toString();
        byDomain = SampleRegistry.standard().converter("map_dom").factory().create(List.of(file, "none"));
        weights = SampleRegistry.standard().converter("map_str_int").factory().create(List.of(file));
    }

    @AfterEach
    void stop() {
        apis.forEach(RuntimeApi::close);
        fixture.close();
    }

    private Path start(Level level) throws IOException {
        Path socket = dir.resolve(level.name() + ".sock");
        apis.add(RuntimeApi.start(CliFixture.global(socket, level, -1, 10_000), fixture.control, fixture.info(),
                TableDirectory.NONE));
        return socket;
    }

    private MapStore store() {
        return MapStores.find(file);
    }

    @Test
    void showMapListsTheFileAndItsEntries() throws IOException {
        Path socket = start(Level.USER);
        int id = store().id();
        assertThat(send(socket, "show map")).startsWith("# id (file) description\n").contains(id + " (" + file
                + ") pattern loaded from file '" + file + "' used by map. entry_cnt=2\n");
        assertThat(send(socket, "show map " + file)).matches("0x[0-9a-f]+ example\\.com 10\n0x[0-9a-f]+"
                + " api\\.example\\.net 20\n\n");
        assertThat(send(socket, "show map #" + id)).isEqualTo(send(socket, "show map " + file));
        assertThat(send(socket, "show map /nowhere.map")).isEqualTo(PatternFiles.MAPS.unknown() + "\n");
    }

    @Test
    void getMapSaysWhatEachConverterFinds() throws IOException {
        Path socket = start(Level.USER);
        assertThat(send(socket, "get map " + file + " db.example.com")).isEqualTo(
                "type=dom, case=sensitive, found=yes, idx=list, key=\"example.com\", value=\"10\", type=\"str\"\n"
                        + "type=str, case=sensitive, found=no\n\n");
        assertThat(send(socket, "get map " + file + " api.example.net")).contains(
                "type=str, case=sensitive, found=yes, idx=tree, key=\"api.example.net\", value=\"20\", type=\"int\"");
        assertThat(send(socket, "get map " + file)).isEqualTo("Missing map identifier and/or key.\n\n");
    }

    @Test
    void changesReachEveryConverterOfTheMap() throws IOException {
        Path socket = start(Level.OPERATOR);
        assertThat(send(socket, "add map " + file + " mq.example.org 30")).isEqualTo("\n");
        assertThat(byDomain.convert("a.mq.example.org")).isEqualTo("30");
        assertThat(weights.convert("mq.example.org")).isEqualTo(30L);
        assertThat(send(socket, "set map " + file + " example.com 11")).isEqualTo("\n");
        assertThat(byDomain.convert("db.example.com")).isEqualTo("11");
        assertThat(send(socket, "set map " + file + " nokey 1")).isEqualTo("entry not found.\n\n");
        assertThat(send(socket, "del map " + file + " example.com")).isEqualTo("\n");
        assertThat(byDomain.convert("db.example.com")).isEqualTo("none");
        assertThat(send(socket, "del map " + file + " example.com")).isEqualTo("Key not found.\n\n");
        assertThat(send(socket, "clear map " + file)).isEqualTo("\n");
        assertThat(weights.convert("api.example.net")).isNull();
        assertThat(store().entries()).isEmpty();
    }

    @Test
    void anEntryAConverterCannotReadIsRefusedAndChangesNeedOperator() throws IOException {
        Path operator = start(Level.OPERATOR);
        assertThat(send(operator, "add map " + file + " x.example.com many"))
                .isEqualTo("map_str_int: value 'many' is not an integer\n\n");
        assertThat(store().entries()).hasSize(2);
        assertThat(send(operator, "add map " + file)).startsWith("'add map' expects three parameters");
        Path user = start(Level.USER);
        assertThat(send(user, "clear map " + file)).isEqualTo(Commands.PERMISSION_DENIED + "\n");
        assertThat(store().entries()).hasSize(2);
    }

    @Test
    void aNewLoadOfTheConfigurationReadsTheFileAgain() throws IOException {
        store().add("extra.example.com", "40");
        SampleRegistry.standard().converter("map_dom").factory().create(List.of(file, "none"));
        assertThat(store().entries()).extracting(MapStore.Entry::key).containsExactly("example.com",
                "api.example.net");
    }
}
