package dev.tether.it.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.it.harness.FreePorts;
import dev.tether.it.harness.ParityPair;
import dev.tether.it.harness.StatsSocket;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Proxy ids and disabled proxies, HAProxy 2.6 and Tether on the same sections: {@code show stat} lists the same
 * proxies with the same iids (ids written and numbered), and neither lists a disabled proxy nor listens for it.
 */
class ProxyIdsParityIT {

    @TempDir
    Path dir;

    @Test
    void showStatListsTheSameProxiesWithTheSameIdsAsHaproxy() throws Exception {
        String sections = """
                listen l1
                    bind 127.0.0.1:%d
                    server s 127.0.0.1:6379
                backend b2
                    id 10
                    server s 127.0.0.1:6379
                backend b3
                    server s 127.0.0.1:6379
                listen off
                    disabled
                    bind 127.0.0.1:%d
                    server s 127.0.0.1:6379
                backend b5
                    id 4
                    server s 127.0.0.1:6379 id 3
                backend stopped
                    disabled
                    server s 127.0.0.1:6379
                backend b7
                    server s 127.0.0.1:6379
                """.formatted(FreePorts.next(), FreePorts.next());
        try (ParityPair pair = ParityPair.start(dir, sections)) {
            List<String> mine = rows(pair.tether());
            List<String> theirs = rows(pair.haproxy());
            // HAProxy's harness adds a listen section of its own at the end
            theirs.removeIf(r -> r.startsWith("anchor,"));
            assertThat(mine).isEqualTo(theirs);
            assertThat(mine).contains("l1,FRONTEND,2,0", "b2,BACKEND,10,0", "b3,BACKEND,5,0", "b5,s,4,3",
                    "b7,BACKEND,9,0");
            assertThat(mine).noneMatch(r -> r.startsWith("off,") || r.startsWith("stopped,"));
        }
    }

    /** pxname, svname, iid and sid of every {@code show stat} row. */
    private static List<String> rows(StatsSocket api) throws IOException {
        List<String> out = new ArrayList<>();
        String[] lines = api.command("show stat").split("\n");
        List<String> header = List.of(lines[0].substring(2).split(",", -1));
        int iid = header.indexOf("iid");
        int sid = header.indexOf("sid");
        for (int i = 1; i < lines.length; i++) {
            if (lines[i].isBlank()) {
                continue;
            }
            String[] f = lines[i].split(",", -1);
            out.add(f[0] + "," + f[1] + "," + f[iid] + "," + f[sid]);
        }
        return out;
    }
}
