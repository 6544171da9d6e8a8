package dev.tether.it.tls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Self-signed certificates made for one test class with the JDK's {@code keytool} in a temporary directory: one
 * key store per host name, and a trust store holding every certificate, so clients verify the servers for real.
 */
final class Certificates {

    private static final char[] PASSWORD = "changeit".toCharArray();

    private final Map<String, KeyStore> keyStores = new LinkedHashMap<>();
    private final KeyStore trusted;

    private Certificates(Path dir, List<String> hosts) throws IOException, GeneralSecurityException {
        trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        for (String host : hosts) {
            Path file = dir.resolve(host + ".p12");
            keytool(dir, "-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1",
                    "-dname", "CN=" + host, "-ext", "SAN=dns:" + host, "-validity", "2",
                    "-storetype", "PKCS12", "-keystore", file.toString(),
                    "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD));
            KeyStore ks = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(file)) {
                ks.load(in, PASSWORD);
            }
            keyStores.put(host, ks);
            trusted.setCertificateEntry(host, ks.getCertificate("server"));
        }
    }

    /** Makes one certificate per host name in {@code dir}. */
    static Certificates make(Path dir, String... hosts) throws IOException, GeneralSecurityException {
        return new Certificates(dir, List.of(hosts));
    }

    /** A server context presenting {@code host}'s certificate, with its own session cache. */
    SSLContext server(String host) throws GeneralSecurityException {
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keyStores.get(host), PASSWORD);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        return ctx;
    }

    /**
     * A client context that trusts exactly the generated certificates. Each context has its own session cache, so
     * one context is one client that remembers its sessions.
     */
    SSLContext client() throws GeneralSecurityException {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trusted);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }

    private static void keytool(Path dir, String... args) throws IOException {
        List<String> command = new java.util.ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("keytool did not finish within 60 s");
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running keytool", e);
        }
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IOException("keytool " + String.join(" ", args) + " failed: " + output);
        }
    }
}
