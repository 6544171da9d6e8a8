package dev.tether.check;

/** A check in progress, connection or external command: its owner stops it when the server's checks end. */
interface RunningCheck {

    /** Stops the check without reporting; safe from any thread, and after the check reported. */
    void cancel();
}
