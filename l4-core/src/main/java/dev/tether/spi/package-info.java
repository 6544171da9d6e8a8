/**
 * The plugin SPI: what protocol modules implement and what they may see of a session. A plugin is a
 * {@link dev.tether.spi.TetherPlugin} found with {@link java.util.ServiceLoader}; it registers keywords through a
 * {@link dev.tether.spi.Registrar}: sample fetches and converters ({@link dev.tether.spi.FetchKeyword},
 * {@link dev.tether.spi.ConverterKeyword}), predefined ACLs, balance algorithms ({@link dev.tether.spi.BalanceKeyword}),
 * persistence rules ({@link dev.tether.spi.PersistKeyword}), health checks ({@link dev.tether.spi.CheckKeyword}) and
 * stream filters ({@link dev.tether.spi.FilterKeyword}). Plugins depend on this package only, never on the engine's
 * internals; a test in each plugin module enforces it.
 *
 * <h2>Threading contract</h2>
 * <ul>
 * <li><b>Load time, off the event loops.</b> Plugins are created and {@code register} is called once per process.
 * Keyword factories ({@code create}, {@code expression}) run while a configuration is read, on the thread reading
 * it; they may be slow and may throw IllegalArgumentException, which the core reports with the file, line and
 * keyword. What they return is immutable, or at least safe to share: one instance serves every session on every
 * event loop.</li>
 * <li><b>Session time, on the session's event loop.</b> Fetches, converters, persistence rules,
 * {@link dev.tether.spi.StreamFilter.Factory#create} and every method of a {@link dev.tether.spi.StreamFilter},
 * {@link dev.tether.spi.FilterContext}, {@link dev.tether.spi.Goodbye} and {@link dev.tether.spi.SessionView} run on
 * the event loop of the session's client channel, which its server channel shares. Per-session objects therefore
 * need no locks, but they must never block: no I/O except through the session, no sleeping, no waiting on
 * futures, no logging that waits for a disk. Timers go through {@link dev.tether.spi.FilterContext#executor()}.</li>
 * <li><b>Health checks, on a check thread.</b> A {@link dev.tether.spi.CheckScript}'s response checks run on the
 * health-check threads, one check of one server at a time; the script itself is shared and stateless.</li>
 * <li><b>Buffers.</b> A {@link io.netty.buffer.ByteBuf} handed to a plugin with "takes ownership" is the plugin's
 * to pass on or release; every other buffer it sees is a read-only view it must neither release nor keep.</li>
 * </ul>
 */
package dev.tether.spi;
