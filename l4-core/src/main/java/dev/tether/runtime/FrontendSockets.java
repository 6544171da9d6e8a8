package dev.tether.runtime;

/** The listening sockets of the running engine's frontends, as {@code disable|enable frontend} reach them. */
public interface FrontendSockets {

    /** No sockets to act on: every frontend answers as unknown, and none is paused. */
    FrontendSockets NONE = new FrontendSockets() {
        @Override
        public boolean paused(String frontend) {
            return false;
        }

        @Override
        public String disable(String frontend) {
            return "No such frontend.\n";
        }

        @Override
        public String enable(String frontend) {
            return "No such frontend.\n";
        }
    };

    /** Whether {@code disable frontend} closed the frontend's sockets ({@code PAUSED} in show stat). */
    boolean paused(String frontend);

    /** Closes the frontend's sockets; HAProxy's answer. */
    String disable(String frontend);

    /** Binds the frontend's sockets again; HAProxy's answer. */
    String enable(String frontend);
}
