package dev.tether.runtime;

import dev.tether.backend.ServerControl;
import dev.tether.config.StatsSocketConfig.Level;
import dev.tether.log.Ring;
import java.util.List;

/**
 * One runtime API command, registered in {@link Commands}.
 *
 * @param words the words that name it, e.g. {@code ["set", "server"]}
 * @param level the least level a socket needs to run it
 * @param usage its syntax as {@code help} shows it
 * @param description one line for {@code help}
 */
record Command(List<String> words, Level level, String usage, String description, Handler handler) {

    Command {
        words = List.copyOf(words);
    }

    /** Runs a command; returns its answer, every line ending in a newline ("" for no output). */
    interface Handler {
        String run(List<String> args, Context context);
    }

    /**
     * What a command may use: the live server controls and model, process facts, the connection's level, the stick
     * tables, the live sessions, the frontends' listening sockets.
     */
    record Context(ServerControl control, ProcessInfo info, Level level, TableDirectory tables,
            SessionDirectory sessions, FrontendSockets frontends, PeersView peers, ResolversView resolvers,
            List<Ring> rings) {

        Context(ServerControl control, ProcessInfo info, Level level, TableDirectory tables,
                SessionDirectory sessions, FrontendSockets frontends, PeersView peers, ResolversView resolvers) {
            this(control, info, level, tables, sessions, frontends, peers, resolvers, List.of());
        }

        Context(ServerControl control, ProcessInfo info, Level level) {
            this(control, info, level, TableDirectory.NONE);
        }

        Context(ServerControl control, ProcessInfo info, Level level, TableDirectory tables) {
            this(control, info, level, tables, SessionDirectory.NONE, FrontendSockets.NONE, PeersView.NONE);
        }

        Context(ServerControl control, ProcessInfo info, Level level, TableDirectory tables,
                SessionDirectory sessions, FrontendSockets frontends, PeersView peers) {
            this(control, info, level, tables, sessions, frontends, peers, ResolversView.NONE);
        }

        /** This context at another level ({@code user} or {@code operator} lowered the connection's). */
        Context withLevel(Level other) {
            return other == level ? this
                    : new Context(control, info, other, tables, sessions, frontends, peers, resolvers, rings);
        }
    }

    boolean allowedAt(Level socketLevel) {
        return socketLevel.ordinal() >= level.ordinal();
    }
}
