package dev.tether.check;

import dev.tether.config.ServerOptions;

/**
 * HAProxy's health counter for one server (src check.c): a value from 0 to {@code rise + fall - 1}; the server is
 * up from {@code rise} on. A passed check adds one and, on reaching {@code rise}, jumps to the top, so a server that
 * just came up needs {@code fall} failures to go down again. A failed check takes one away and, on dropping below
 * {@code rise}, falls to 0, so a server that just went down needs {@code rise} consecutive passes to come back. A
 * freshly started server sits at {@code rise}: up, and one failure away from down (HAProxy's {@code init-state up}).
 *
 * <p>Pure arithmetic; the caller owns the value and its thread.
 */
final class Health {

    private Health() {
    }

    static int max(ServerOptions o) {
        return o.rise() + o.fall() - 1;
    }

    static boolean up(int health, ServerOptions o) {
        return health >= o.rise();
    }

    static int afterSuccess(int health, ServerOptions o) {
        if (health >= max(o)) {
            return max(o);
        }
        int next = health + 1;
        return next >= o.rise() ? max(o) : next;
    }

    static int afterFailure(int health, ServerOptions o) {
        if (health <= 0) {
            return 0;
        }
        int next = health - 1;
        return next < o.rise() ? 0 : next;
    }

    /**
     * The {@code status: x/y UP|DRAIN|DOWN} text of HAProxy's check log line: while up, x counts the failures
     * still allowed out of {@code fall}; while down, x counts the passes made out of {@code rise}.
     */
    static String progress(int health, ServerOptions o, boolean drained) {
        if (up(health, o)) {
            return (health - o.rise() + 1) + "/" + o.fall() + (drained ? " DRAIN" : " UP");
        }
        return health + "/" + o.rise() + " DOWN";
    }

    /**
     * The delay before the next check (HAProxy's srv_getinter): {@code inter} when fully up, {@code downinter}
     * when fully down, {@code fastinter} in between, while the server is going up or down.
     */
    static long interval(int health, ServerOptions o) {
        if (health >= max(o)) {
            return o.inter();
        }
        if (health <= 0) {
            return positiveOr(o.downInter(), o.inter());
        }
        return positiveOr(o.fastInter(), o.inter());
    }

    private static long positiveOr(long value, long fallback) {
        return value > 0 ? value : fallback;
    }
}
