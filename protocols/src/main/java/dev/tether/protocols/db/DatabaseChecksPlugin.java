package dev.tether.protocols.db;

import dev.tether.spi.Registrar;
import dev.tether.spi.TetherPlugin;

/** Registers the database health checks: {@code option pgsql-check}, {@code mysql-check}, {@code redis-check}. */
public final class DatabaseChecksPlugin implements TetherPlugin {

    @Override
    public String module() {
        return "protocols";
    }

    @Override
    public void register(Registrar registrar) {
        registrar.check(PgsqlCheck.KEYWORD);
        registrar.check(MysqlCheck.KEYWORD);
        registrar.check(RedisCheck.KEYWORD);
    }
}
