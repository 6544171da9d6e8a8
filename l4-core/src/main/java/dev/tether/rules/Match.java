package dev.tether.rules;

/**
 * The outcome of evaluating a condition. {@link #MISS} means the answer may change when more data arrives
 * (content inspection); a final evaluation turns a miss into {@link #FALSE}.
 */
public enum Match {
    TRUE, FALSE, MISS;

    public static Match of(boolean b) {
        return b ? TRUE : FALSE;
    }
}
