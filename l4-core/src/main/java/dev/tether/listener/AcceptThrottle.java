package dev.tether.listener;

import java.util.ArrayList;
import java.util.List;

/**
 * Pauses and resumes the accept gates of one engine. A gate pauses itself when a limit is reached; any session end
 * while something is paused re-checks the paused gates, because a process-wide limit ties all of them together.
 * The lock is only taken on those two rare paths; the common accept and close paths read one volatile field.
 */
final class AcceptThrottle {

    private final List<AcceptGate> pausedGates = new ArrayList<>();
    private volatile boolean anyPaused;

    synchronized void pause(AcceptGate gate) {
        if (!gate.paused()) {
            gate.setPaused(true);
            pausedGates.add(gate);
            anyPaused = true;
        }
        // A session may have ended between the accept's check and the pause: re-check so no gate stays shut.
        resumeAllowed();
    }

    void released() {
        if (anyPaused) {
            synchronized (this) {
                resumeAllowed();
            }
        }
    }

    private void resumeAllowed() {
        pausedGates.removeIf(g -> {
            if (g.reached()) {
                return false;
            }
            g.setPaused(false);
            return true;
        });
        anyPaused = !pausedGates.isEmpty();
    }
}
