package dev.tether.log;

/**
 * Where finished sessions are reported. Called on event loops: implementations must not block and must not do
 * I/O on the calling thread (queue the record, write it elsewhere).
 */
@FunctionalInterface
public interface SessionLog {

    /** A log that drops everything ({@code no log}). */
    SessionLog NONE = record -> { };

    void log(SessionRecord record);
}
