/**
 * HAProxy's database health checks as plugin check types: {@code option pgsql-check}, {@code option mysql-check}
 * and {@code option redis-check}. Each is a fixed {@link dev.tether.spi.CheckScript} built once at load time from
 * the option's arguments; its response checks parse the server's first answers byte by byte and run on the
 * health-check threads, reading the received bytes without consuming or releasing them. Operators' guide:
 * docs/health-checks.md.
 */
package dev.tether.protocols.db;
