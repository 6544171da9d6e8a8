package dev.tether.it.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.ftpserver.DataConnectionConfigurationFactory;
import org.apache.ftpserver.FtpServer;
import org.apache.ftpserver.FtpServerFactory;
import org.apache.ftpserver.ftplet.FtpException;
import org.apache.ftpserver.ftplet.UserManager;
import org.apache.ftpserver.listener.ListenerFactory;
import org.apache.ftpserver.usermanager.PropertiesUserManagerFactory;
import org.apache.ftpserver.usermanager.impl.BaseUser;
import org.apache.ftpserver.usermanager.impl.WritePermission;

/**
 * Apache FtpServer in this JVM: a real FTP implementation (RFC 959 with PASV, EPSV) listening on a free loopback
 * port, one user with a writable temporary home. Its threads are MINA's. It has no process to signal, so
 * {@link #pause()} is not available; kill and stop both close every session at once.
 */
final class InProcessFtp implements BackendControl {

    private final int port;
    private final Path home;
    private FtpServer server;

    private InProcessFtp(int port, Path home) {
        this.port = port;
        this.home = home;
    }

    static InProcessFtp start() throws IOException {
        Path home = Files.createTempDirectory("tether-it-ftp-");
        InProcessFtp ftp = new InProcessFtp(FreePorts.next(), home);
        try {
            ftp.startServer();
        } catch (IOException | RuntimeException e) {
            LocalServer.deleteTree(home);
            throw e;
        }
        return ftp;
    }

    int port() {
        return port;
    }

    String origin() {
        return "in-process Apache FtpServer, home " + home;
    }

    private void startServer() throws IOException {
        FtpServerFactory factory = new FtpServerFactory();
        ListenerFactory listener = new ListenerFactory();
        listener.setServerAddress(LocalServer.HOST);
        listener.setPort(port);
        listener.setIdleTimeout(120);
        DataConnectionConfigurationFactory data = new DataConnectionConfigurationFactory();
        // PASV replies carry this address: the client opens data connections straight to the server
        data.setPassiveAddress(LocalServer.HOST);
        listener.setDataConnectionConfiguration(data.createDataConnectionConfiguration());
        factory.addListener("default", listener.createListener());
        UserManager users = new PropertiesUserManagerFactory().createUserManager();
        BaseUser user = new BaseUser();
        user.setName(BackendKind.FTP.user());
        user.setPassword(BackendKind.FTP.password());
        user.setHomeDirectory(home.toString());
        user.setAuthorities(List.of(new WritePermission()));
        try {
            users.save(user);
            factory.setUserManager(users);
            server = factory.createServer();
            server.start();
        } catch (FtpException e) {
            throw new IOException("Apache FtpServer did not start on port " + port, e);
        }
        Probes.awaitReady(BackendKind.FTP, LocalServer.HOST, port, Probes.startTimeout(BackendKind.FTP),
                () -> !server.isStopped(), () -> "(in-process server, no log file)");
    }

    @Override
    public void kill() {
        server.stop();
    }

    @Override
    public void stop() {
        server.stop();
    }

    @Override
    public void pause() {
        throw new UnsupportedOperationException("an in-process FTP server has no process to SIGSTOP");
    }

    @Override
    public void resume() {
        throw new UnsupportedOperationException("an in-process FTP server has no process to SIGCONT");
    }

    @Override
    public void restart() throws IOException {
        if (server != null && !server.isStopped()) {
            server.stop();
        }
        startServer();
    }

    @Override
    public void close() throws IOException {
        try {
            if (server != null && !server.isStopped()) {
                server.stop();
            }
        } finally {
            LocalServer.deleteTree(home);
        }
    }
}
