package dev.tether.it.harness;

/**
 * A service the machine itself runs on its standard port. Tests may use it, never hurt it: every fault helper
 * refuses, and closing it does nothing.
 */
final class MachineService implements BackendControl {

    private final BackendKind kind;

    MachineService(BackendKind kind) {
        this.kind = kind;
    }

    String origin() {
        return "the machine's own service on port " + kind.standardPort();
    }

    private UnsupportedOperationException refuse(String what) {
        return new UnsupportedOperationException("will not " + what + " the machine's own " + kind.displayName()
                + " on port " + kind.standardPort() + ": declare faults = true to get a harness-started instance");
    }

    @Override
    public void kill() {
        throw refuse("kill");
    }

    @Override
    public void stop() {
        throw refuse("stop");
    }

    @Override
    public void pause() {
        throw refuse("pause");
    }

    @Override
    public void resume() {
        throw refuse("resume");
    }

    @Override
    public void restart() {
        throw refuse("restart");
    }

    @Override
    public void close() {
        // not ours to stop
    }
}
