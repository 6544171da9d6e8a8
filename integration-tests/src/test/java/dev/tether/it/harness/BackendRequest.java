package dev.tether.it.harness;

import java.lang.annotation.Annotation;

/**
 * What one annotation asks for.
 *
 * @param kind which server
 * @param count how many instances (cluster nodes for RabbitMQ)
 * @param faults whether the test will kill, stop, pause or restart them (then they must be harness-started)
 */
record BackendRequest(BackendKind kind, int count, boolean faults) {

    BackendRequest {
        if (count < 1 || count > 9) {
            throw new IllegalArgumentException(kind + ": between 1 and 9 instances, not " + count);
        }
    }

    /** The request an annotation makes, or null when the annotation is not one of the harness's. */
    static BackendRequest of(Annotation a) {
        if (a instanceof Postgres) {
            return new BackendRequest(BackendKind.POSTGRES, 1, ((Postgres) a).faults());
        }
        if (a instanceof MariaDb) {
            return new BackendRequest(BackendKind.MARIADB, 1, ((MariaDb) a).faults());
        }
        if (a instanceof Redis) {
            return new BackendRequest(BackendKind.REDIS, 1, ((Redis) a).faults());
        }
        if (a instanceof RabbitMq) {
            return new BackendRequest(BackendKind.RABBITMQ, ((RabbitMq) a).nodes(), ((RabbitMq) a).faults());
        }
        if (a instanceof Mosquitto) {
            return new BackendRequest(BackendKind.MOSQUITTO, ((Mosquitto) a).instances(), ((Mosquitto) a).faults());
        }
        if (a instanceof FtpServers) {
            return new BackendRequest(BackendKind.FTP, ((FtpServers) a).value(), ((FtpServers) a).faults());
        }
        return null;
    }
}
