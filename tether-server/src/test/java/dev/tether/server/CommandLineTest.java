package dev.tether.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tether.transport.TransportKind;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class CommandLineTest {

    @Test
    void shouldLoadSeveralFilesInOrder() throws Exception {
        CommandLine cmd = CommandLine.parse(new String[] {"-f", "a.cfg", "-f", "b.cfg"});
        assertThat(cmd.mode()).isEqualTo(CommandLine.Mode.RUN);
        assertThat(cmd.files()).containsExactly(Path.of("a.cfg"), Path.of("b.cfg"));
    }

    @Test
    void shouldCheckWithDashC() throws Exception {
        assertThat(CommandLine.parse(new String[] {"-c", "-f", "a.cfg"}).mode()).isEqualTo(CommandLine.Mode.CHECK);
    }

    @Test
    void shouldSelectTransportAndThreads() throws Exception {
        CommandLine cmd = CommandLine.parse(new String[] {"--demo", "--transport", "io_uring", "--threads", "2"});
        assertThat(cmd.mode()).isEqualTo(CommandLine.Mode.DEMO);
        assertThat(cmd.transport()).isEqualTo(TransportKind.IO_URING);
        assertThat(cmd.eventLoops()).isEqualTo(2);
    }

    @Test
    void shouldTakeTheLocalPeerNameWithDashL() throws Exception {
        CommandLine cmd = CommandLine.parse(new String[] {"-L", "lb2", "-f", "a.cfg"});
        assertThat(cmd.localPeer()).isEqualTo("lb2");
        assertThat(CommandLine.parse(new String[] {"-f", "a.cfg"}).localPeer()).isEmpty();
        assertThatThrownBy(() -> CommandLine.parse(new String[] {"-f", "a.cfg", "-L"}))
                .hasMessageContaining("option '-L' expects a value");
    }

    @Test
    void shouldRefuseMissingConfiguration() {
        assertThatThrownBy(() -> CommandLine.parse(new String[0]))
                .hasMessageContaining("no configuration given");
    }

    @Test
    void shouldRefuseUnknownOptionAndMissingValue() {
        assertThatThrownBy(() -> CommandLine.parse(new String[] {"-x"})).hasMessage("unknown option '-x'");
        assertThatThrownBy(() -> CommandLine.parse(new String[] {"-f"})).hasMessage("option '-f' expects a value");
        assertThatThrownBy(() -> CommandLine.parse(new String[] {"--demo", "--threads", "0"}))
                .hasMessageContaining("'--threads' expects a number");
        assertThatThrownBy(() -> CommandLine.parse(new String[] {"--demo", "--transport", "kqueue"}))
                .hasMessageContaining("'--transport' expects one of");
    }

    @Test
    void shouldRefuseDemoWithConfiguration() {
        assertThatThrownBy(() -> CommandLine.parse(new String[] {"--demo", "-f", "a.cfg"}))
                .hasMessageContaining("--demo runs its own configuration");
    }
}
