package dev.tether.check;

import dev.tether.model.ServerModel;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The rhythm of one server's checks, health or agent: the next run's timer and the run in progress, so that runs
 * never overlap and closing stops both. Control thread only, like its owners.
 */
final class CheckTimer {

    private final ServerModel server;
    private final ScheduledExecutorService controlThread;
    private final Runnable task;

    private ScheduledFuture<?> timer;
    private long dueNanos;
    private RunningCheck running;
    private boolean closed;

    /** @param task what a due timer runs (on the control thread, its failures logged) */
    CheckTimer(ServerModel server, ScheduledExecutorService controlThread, Runnable task) {
        this.server = server;
        this.controlThread = controlThread;
        this.task = task;
    }

    /** Runs the task after {@code delayMillis}; nothing once closed or while the control thread stops. */
    void schedule(long delayMillis) {
        if (closed) {
            return;
        }
        dueNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delayMillis);
        try {
            timer = controlThread.schedule(HealthChecks.guarded(server, () -> {
                timer = null;
                if (!closed) {
                    task.run();
                }
            }), delayMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException stopping) {
            // HealthChecks.close() shut the control thread down while a result was queued ahead of the task that
            // closes this timer's owner: there is no next run
        }
    }

    /** Brings a pending timer forward to {@code delayMillis} when it is due later than that. */
    void atMost(long delayMillis) {
        if (timer != null && dueNanos - System.nanoTime() > TimeUnit.MILLISECONDS.toNanos(delayMillis)) {
            timer.cancel(false);
            schedule(delayMillis);
        }
    }

    void started(RunningCheck run) {
        running = run;
    }

    /** The run reported; false when the timer was closed meanwhile and the result no longer counts. */
    boolean finished() {
        running = null;
        return !closed;
    }

    boolean runInProgress() {
        return running != null;
    }

    boolean closed() {
        return closed;
    }

    void close() {
        closed = true;
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
        if (running != null) {
            running.cancel();
            running = null;
        }
    }
}
