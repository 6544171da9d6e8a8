package dev.tether.ftp;

import java.util.ArrayDeque;
import java.util.function.Consumer;

/**
 * The replies a client awaits, in order: one final reply per command (RFC 959 §4.2; a 1yz reply is preliminary and
 * another follows), with the server's greeting first. When the gateway answers a command itself (an LPSV it
 * refuses), its reply must reach the client after the server's replies to earlier commands, which may still be on
 * their way when the client pipelines: it waits here behind them. Session event loop only.
 */
final class ReplyOrder {

    /** A command the server will answer; {@code port} is the data port opened for it, or null. */
    record Awaited(String verb, DataPorts.DataPort port) {
    }

    private final ArrayDeque<Object> queue = new ArrayDeque<>();

    ReplyOrder() {
        queue.add(new Awaited("greeting", null));
    }

    /** A command was passed on to the server, which will answer it. */
    void await(Awaited awaited) {
        queue.add(awaited);
    }

    /** The gateway answers a command itself: at once when nothing is awaited, else after the replies before it. */
    void local(String reply, Consumer<String> emit) {
        if (queue.isEmpty()) {
            emit.accept(reply);
        } else {
            queue.add(reply);
        }
    }

    /** The server sent a final reply: the command it answers, or null when none was awaited (an unsolicited 421). */
    Awaited answered() {
        Object head = queue.peek();
        if (head instanceof Awaited) {
            queue.poll();
            return (Awaited) head;
        }
        return null;
    }

    /** Gives the gateway's own replies that no longer wait for the server's. */
    void flushLocal(Consumer<String> emit) {
        while (queue.peek() instanceof String) {
            emit.accept((String) queue.poll());
        }
    }

    /** Nothing is awaited: the client has all its answers. */
    boolean idle() {
        return queue.isEmpty();
    }
}
