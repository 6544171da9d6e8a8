package dev.tether.it.harness;

/** A source cannot provide the backend; the message says why, for the skip (or CI failure) reason. */
final class BackendUnavailableException extends Exception {

    BackendUnavailableException(String reason) {
        super(reason);
    }

    BackendUnavailableException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
