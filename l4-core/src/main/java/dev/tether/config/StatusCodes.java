package dev.tether.config;

import java.util.ArrayList;
import java.util.List;

/**
 * The status codes of {@code http-check expect status}: codes and ranges separated by commas, {@code 200},
 * {@code 200-399}, {@code 200,204,300-302} (CFG §4.2 http-check expect).
 */
public final class StatusCodes {

    private final int[] lows;
    private final int[] highs;
    private final String text;

    private StatusCodes(int[] lows, int[] highs, String text) {
        this.lows = lows;
        this.highs = highs;
        this.text = text;
    }

    /** @throws IllegalArgumentException with a readable reason when {@code text} is not such a list */
    public static StatusCodes parse(String text) {
        List<int[]> ranges = new ArrayList<>();
        for (String part : text.split(",", -1)) {
            int dash = part.indexOf('-');
            int low = code(part, dash < 0 ? part : part.substring(0, dash));
            int high = dash < 0 ? low : code(part, part.substring(dash + 1));
            if (high < low) {
                throw new IllegalArgumentException("has the range '" + part + "', which ends before it starts");
            }
            ranges.add(new int[] {low, high});
        }
        int[] lows = new int[ranges.size()];
        int[] highs = new int[ranges.size()];
        for (int i = 0; i < lows.length; i++) {
            lows[i] = ranges.get(i)[0];
            highs[i] = ranges.get(i)[1];
        }
        return new StatusCodes(lows, highs, text);
    }

    private static int code(String part, String digits) {
        if (digits.length() != 3 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("expects status codes of three digits and ranges such as 200-399,"
                    + " separated by commas; found '" + part + "'");
        }
        return Integer.parseInt(digits);
    }

    public boolean contains(int status) {
        for (int i = 0; i < lows.length; i++) {
            if (status >= lows[i] && status <= highs[i]) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return text;
    }
}
