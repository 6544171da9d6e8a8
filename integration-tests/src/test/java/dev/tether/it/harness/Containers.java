package dev.tether.it.harness;

import com.github.dockerjava.api.DockerClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * Backends from the official Docker images through Testcontainers. Each container publishes its port on a fixed
 * free loopback port chosen here (not a random one), so that {@link #restart()} brings it back on the same port.
 * Pause is Docker's cgroup freezer, which to the clients looks like SIGSTOP.
 */
final class Containers implements BackendControl {

    private final BackendKind kind;
    private final int port;
    private final GenericContainer<?> container;

    private Containers(BackendKind kind, int port, GenericContainer<?> container) {
        this.kind = kind;
        this.port = port;
        this.container = container;
    }

    /**
     * Whether a Docker engine answers. Testcontainers' own detection tries several strategies and can take a while
     * to say no, so it is only asked when there is a sign of an engine at all.
     */
    static String whyNoDocker() {
        if ("false".equalsIgnoreCase(System.getProperty("tether.it.docker", System.getenv("TETHER_IT_DOCKER")))) {
            return "Docker disabled by tether.it.docker=false";
        }
        boolean hint = System.getenv("DOCKER_HOST") != null
                || Files.exists(Path.of("/var/run/docker.sock"))
                || Files.exists(Path.of(System.getProperty("user.home"), ".docker", "run", "docker.sock"))
                || Files.exists(Path.of(System.getProperty("user.home"), ".testcontainers.properties"));
        if (!hint) {
            return "no Docker engine (no DOCKER_HOST, no /var/run/docker.sock)";
        }
        return DockerClientFactory.instance().isDockerAvailable() ? null : "no Docker engine answers";
    }

    int port() {
        return port;
    }

    String origin() {
        return "container " + container.getDockerImageName() + " " + container.getContainerId();
    }

    static Containers start(BackendKind kind) throws BackendUnavailableException, IOException {
        int port = FreePorts.next();
        GenericContainer<?> c;
        int containerPort = kind.standardPort();
        switch (kind) {
            case POSTGRES:
                c = new GenericContainer<>(DockerImageName.parse("postgres:16-alpine"))
                        .withEnv("POSTGRES_HOST_AUTH_METHOD", "trust")
                        .withEnv("POSTGRES_DB", "test");
                break;
            case MARIADB:
                c = new GenericContainer<>(DockerImageName.parse("mariadb:11"))
                        .withEnv("MARIADB_ALLOW_EMPTY_ROOT_PASSWORD", "1")
                        .withEnv("MARIADB_DATABASE", "test");
                break;
            case REDIS:
                c = new GenericContainer<>(DockerImageName.parse("redis:7-alpine"));
                break;
            case RABBITMQ:
                // the official image allows guest from any address (loopback_users.guest = false)
                c = new GenericContainer<>(DockerImageName.parse("rabbitmq:3.13-alpine"));
                break;
            case MOSQUITTO:
                c = new GenericContainer<>(DockerImageName.parse("eclipse-mosquitto:2"))
                        .withCommand("mosquitto", "-c", "/mosquitto-no-auth.conf");
                break;
            default:
                throw new BackendUnavailableException("no official Docker image for " + kind.displayName());
        }
        c.setPortBindings(List.of(LocalServer.HOST + ":" + port + ":" + containerPort));
        Containers control = new Containers(kind, port, c);
        try {
            c.start();
            control.awaitReady();
        } catch (IOException | RuntimeException e) {
            c.stop();
            throw e;
        }
        return control;
    }

    private void awaitReady() throws IOException {
        Probes.awaitReady(kind, LocalServer.HOST, port, Probes.startTimeout(kind), container::isRunning,
                container::getLogs);
    }

    private DockerClient docker() {
        return DockerClientFactory.instance().client();
    }

    @Override
    public void kill() {
        docker().killContainerCmd(container.getContainerId()).exec();
    }

    @Override
    public void stop() {
        docker().stopContainerCmd(container.getContainerId()).withTimeout(60).exec();
    }

    @Override
    public void pause() {
        docker().pauseContainerCmd(container.getContainerId()).exec();
    }

    @Override
    public void resume() {
        docker().unpauseContainerCmd(container.getContainerId()).exec();
    }

    @Override
    public void restart() throws IOException {
        if (container.isRunning()) {
            stop();
        }
        docker().startContainerCmd(container.getContainerId()).exec();
        awaitReady();
    }

    @Override
    public void close() {
        container.stop();
    }
}
