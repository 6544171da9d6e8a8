package dev.tether.it.harness;

/** The servers the harness can provide, with the facts every source of them shares. */
public enum BackendKind {
    POSTGRES("PostgreSQL", 5432, "postgres", "", "test"),
    MARIADB("MariaDB", 3306, "root", "", "test"),
    REDIS("Redis", 6379, "", "", ""),
    RABBITMQ("RabbitMQ", 5672, "guest", "guest", "/"),
    MOSQUITTO("Mosquitto", 1883, "", "", ""),
    FTP("FTP", 21, "tether", "tether", "");

    private final String displayName;
    private final int standardPort;
    private final String user;
    private final String password;
    private final String database;

    BackendKind(String displayName, int standardPort, String user, String password, String database) {
        this.displayName = displayName;
        this.standardPort = standardPort;
        this.user = user;
        this.password = password;
        this.database = database;
    }

    public String displayName() {
        return displayName;
    }

    /** The port the machine's own service listens on, when it runs one. */
    public int standardPort() {
        return standardPort;
    }

    /** The account every source sets up (or, for the machine's own services, is documented to have). */
    public String user() {
        return user;
    }

    public String password() {
        return password;
    }

    /** Database (SQL), virtual host (AMQP) or "" where the protocol has no such thing. */
    public String database() {
        return database;
    }
}
