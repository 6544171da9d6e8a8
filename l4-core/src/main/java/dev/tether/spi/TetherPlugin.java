package dev.tether.spi;

/**
 * A protocol plugin, found with {@link java.util.ServiceLoader}: a module lists its implementation in
 * {@code META-INF/services/dev.tether.spi.TetherPlugin}. The core creates each plugin once per process, off the event
 * loops, and asks it to {@link #register} what it contributes before any configuration is read.
 */
public interface TetherPlugin {

    /** The module's name as operators know it ("protocols", "rdp-cookie"); error messages and logs use it. */
    String module();

    /** Registers every keyword the plugin contributes. Called once; a name registered twice fails the load. */
    void register(Registrar registrar);
}
