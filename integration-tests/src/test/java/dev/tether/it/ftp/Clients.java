package dev.tether.it.ftp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.commons.net.ftp.FTP;
import org.apache.commons.net.ftp.FTPClient;
import org.apache.commons.net.ftp.FTPReply;

/**
 * The real FTP clients the tests drive: commons-net's FTPClient (remote verification left on, as it is by default),
 * and curl and lftp as child processes. Content is seeded pseudo-random bytes compared by SHA-256.
 */
final class Clients {

    /** How a client logs in on one kind of server, and where it may upload. */
    record Account(String user, String password, String dir) {
        static final Account VSFTPD = new Account(Vsftpd.USER, Vsftpd.PASSWORD, Vsftpd.UPLOADS);
        static final Account APACHE = new Account("tether", "tether", "");
    }

    private Clients() {
    }

    // ---- commons-net -----------------------------------------------------------------------------------------

    static FTPClient login(String host, int port, Account account, boolean passive) throws IOException {
        FTPClient c = new FTPClient();
        c.setConnectTimeout(10_000);
        c.setDefaultTimeout(30_000);
        c.setDataTimeout(Duration.ofSeconds(30));
        c.connect(host, port);
        c.setSoTimeout(30_000);
        assertThat(FTPReply.isPositiveCompletion(c.getReplyCode())).as("greeting %s", c.getReplyString()).isTrue();
        assertThat(c.login(account.user(), account.password())).as("login: %s", c.getReplyString()).isTrue();
        assertThat(c.setFileType(FTP.BINARY_FILE_TYPE)).isTrue();
        if (passive) {
            c.enterLocalPassiveMode();
        } else {
            c.enterLocalActiveMode();
        }
        return c;
    }

    /** Uploads {@code size} seeded bytes; returns their SHA-256 and size as "hex/size". */
    static String upload(FTPClient c, String path, long size, long seed) throws IOException {
        assertThat(c.storeFile(path, new SeededStream(size, seed))).as("STOR %s: %s", path, c.getReplyString())
                .isTrue();
        return expected(size, seed);
    }

    /** Downloads a file; returns its SHA-256 and size as "hex/size". */
    static String download(FTPClient c, String path) throws IOException {
        InputStream in = c.retrieveFileStream(path);
        assertThat(in).as("RETR %s: %s", path, c.getReplyString()).isNotNull();
        String digest;
        try (in) {
            digest = digest(in);
        }
        assertThat(c.completePendingCommand()).as("after RETR %s: %s", path, c.getReplyString()).isTrue();
        return digest;
    }

    static void logout(FTPClient c) {
        try {
            c.logout();
        } catch (IOException e) {
            // the session is over either way
        }
        try {
            c.disconnect();
        } catch (IOException e) {
            // already closed
        }
    }

    // ---- curl and lftp ---------------------------------------------------------------------------------------

    /** Runs curl with {@code args}; fails with its output unless it exits 0. */
    static void curl(List<String> args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("curl", "-sS", "--max-time", "60", "--connect-timeout", "10"));
        cmd.addAll(args);
        run(cmd);
    }

    /** Runs an lftp script (commands separated by ';'), failing on the first command that fails. */
    static void lftp(String script) throws IOException {
        run(List.of("lftp", "-c", "set cmd:fail-exit yes; set net:max-retries 1; set net:timeout 20;"
                + " set net:reconnect-interval-base 1; set xfer:clobber on; " + script));
    }

    private static void run(List<String> cmd) throws IOException {
        Path out = Files.createTempFile("tether-it-ftp-client", ".log");
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            boolean done;
            try {
                done = p.waitFor(90, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
                throw new IOException("interrupted while running " + cmd, e);
            }
            if (!done) {
                p.destroyForcibly();
            }
            String output = Files.readString(out, StandardCharsets.UTF_8);
            assertThat(done && p.exitValue() == 0).as("%s%nexited %s:%n%s", String.join(" ", cmd),
                    done ? p.exitValue() : "(still running after 90 s)", output).isTrue();
        } finally {
            Files.deleteIfExists(out);
        }
    }

    // ---- content ---------------------------------------------------------------------------------------------

    /** Writes {@code size} seeded bytes to {@code file}; returns "hex/size". */
    static String writeFile(Path file, long size, long seed) throws IOException {
        try (InputStream in = new SeededStream(size, seed); OutputStream out = Files.newOutputStream(file)) {
            in.transferTo(out);
        }
        return expected(size, seed);
    }

    static String digest(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return digest(in);
        }
    }

    static String digest(InputStream in) throws IOException {
        MessageDigest md = sha256();
        byte[] buf = new byte[65536];
        long count = 0;
        int n;
        while ((n = in.read(buf)) >= 0) {
            md.update(buf, 0, n);
            count += n;
        }
        return HexFormat.of().formatHex(md.digest()) + "/" + count;
    }

    /** "hex/size" of the seeded bytes. */
    static String expected(long size, long seed) throws IOException {
        return digest(new SeededStream(size, seed));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code size} pseudo-random bytes from {@code seed}, generated as read: 100 MB needs no file. */
    static final class SeededStream extends InputStream {
        private final Random random;
        private final byte[] block = new byte[8192];
        private long left;
        private int pos = block.length;

        SeededStream(long size, long seed) {
            this.random = new Random(seed);
            this.left = size;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (left == 0) {
                return -1;
            }
            if (pos == block.length) {
                random.nextBytes(block);
                pos = 0;
            }
            int n = (int) Math.min(Math.min(len, block.length - pos), left);
            System.arraycopy(block, pos, b, off, n);
            pos += n;
            left -= n;
            return n;
        }
    }
}
