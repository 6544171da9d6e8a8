package dev.tether.testing;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/** Installs the leak recorder when the test JVM's launcher session opens, before any buffer class initialises. */
public final class LeakRecordingSession implements LauncherSessionListener {

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        LeakRecorder.install();
    }
}
