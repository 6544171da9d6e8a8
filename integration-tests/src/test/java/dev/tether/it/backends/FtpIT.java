package dev.tether.it.backends;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.it.harness.Backend;
import dev.tether.it.harness.FtpServers;
import dev.tether.it.harness.PatternStream;
import dev.tether.it.harness.RunningTether;
import dev.tether.it.harness.SessionAssert;
import dev.tether.log.SessionRecord;
import java.io.OutputStream;
import java.security.DigestInputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.time.Duration;
import org.apache.commons.net.ftp.FTP;
import org.apache.commons.net.ftp.FTPClient;
import org.apache.commons.net.ftp.FTPFile;
import org.junit.jupiter.api.Test;

/**
 * commons-net through Tether on the control connection. In passive mode the server's PASV reply names its own
 * address, so the data connections go straight to the server: routing them through Tether is the FTP plugin's job.
 */
class FtpIT {

    private static final long SIZE = 20L * 1024 * 1024;

    @Test
    void shouldUploadAndDownloadTwentyMegabytesInPassiveModeWithEqualSha256(@FtpServers Backend ftp)
            throws Exception {
        try (RunningTether tether = RunningTether.start("""
                listen ftp
                    bind 127.0.0.1:0
                    server s1 "${FTP}"
                """, ftp.variables("FTP"))) {
            FTPClient client = new FTPClient();
            client.setConnectTimeout(10_000);
            client.setDefaultTimeout(30_000);
            client.setDataTimeout(Duration.ofSeconds(30));
            byte[] uploaded;
            byte[] downloaded;
            try {
                client.connect(tether.host("ftp"), tether.port("ftp"));
                assertThat(client.login(ftp.user(), ftp.password())).as(client.getReplyString()).isTrue();
                client.enterLocalPassiveMode();
                assertThat(client.setFileType(FTP.BINARY_FILE_TYPE)).isTrue();

                MessageDigest up = MessageDigest.getInstance("SHA-256");
                try (DigestInputStream in = new DigestInputStream(new PatternStream(SIZE, 42), up)) {
                    assertThat(client.storeFile("big.bin", in)).as(client.getReplyString()).isTrue();
                }
                uploaded = up.digest();
                FTPFile[] listed = client.listFiles("big.bin");
                assertThat(listed).hasSize(1);
                assertThat(listed[0].getSize()).isEqualTo(SIZE);

                MessageDigest down = MessageDigest.getInstance("SHA-256");
                try (DigestOutputStream out = new DigestOutputStream(OutputStream.nullOutputStream(), down)) {
                    assertThat(client.retrieveFile("big.bin", out)).as(client.getReplyString()).isTrue();
                }
                downloaded = down.digest();
                assertThat(client.deleteFile("big.bin")).isTrue();
                assertThat(client.logout()).isTrue();
            } finally {
                if (client.isConnected()) {
                    client.disconnect();
                }
            }
            assertThat(downloaded).isEqualTo(uploaded);
            SessionRecord r = tether.awaitRecords(1, Duration.ofSeconds(10)).get(0);
            SessionAssert.relayedNormally(r, "ftp", "s1");
        }
    }
}
