package dev.tether.it.harness;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A MariaDB server: user {@code root} with an empty password, database {@code test}.
 *
 * <p>Put it on a test method parameter or a field of type {@link Backend} (the first instance) or
 * {@code List<Backend>} (all of them). Parameters and instance fields get fresh instances per test; static
 * fields get instances for the whole class. A backend that cannot be had skips the test with the reason, or
 * fails it when the environment variable {@code CI} is set.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.FIELD, ElementType.PARAMETER})
@ExtendWith(BackendExtension.class)
public @interface MariaDb {

    /**
     * The test will kill, stop, pause or restart these servers: the harness must start its own instances
     * (never the machine's service on the standard port).
     */
    boolean faults() default false;
}
