package dev.tether.model;

import dev.tether.spi.LogText;
import java.util.Objects;

/**
 * The outcome of one health check, as HAProxy reports it (src check.c status table; {@code show stat}
 * check_status, check_desc, check_duration).
 *
 * @param code HAProxy's status code: {@code L4OK}, {@code L4TOUT}, {@code L4CON}, {@code L6OK}, {@code L6TOUT},
 *     {@code L6RSP}, {@code L7OK}, {@code L7RSP}, {@code L7TOUT}, {@code SOCKERR}, an external check's
 *     {@code PROCOK}, {@code PROCERR}, {@code PROCTOUT}, or {@code INI} before any check
 * @param description e.g. "Layer4 check passed", "Layer4 connection problem", "Layer7 invalid response"
 * @param info detail such as "Connection refused" or the failing rule's comment; "" when none
 * @param durationMillis how long the check took; -1 when not applicable
 * @param success whether the check passed
 * @param checkCode the status the server answered with, as HAProxy reports it for layer-7 checks ({@code code:
 *     503} in check log lines, check_code in {@code show stat}): an HTTP check's status code, an external check's
 *     exit status; 0 when none
 */
public record CheckStatus(String code, String description, String info, long durationMillis, boolean success,
        int checkCode) {

    /** The longest info kept; the server's text inside one is bounded where the info is made. */
    private static final int INFO_CHARS = 1000;

    /** Before the first check completes. */
    public static final CheckStatus INITIAL = new CheckStatus("INI", "Initializing", "", -1, false);

    /** A status without a server's status code. */
    public CheckStatus(String code, String description, String info, long durationMillis, boolean success) {
        this(code, description, info, durationMillis, success, 0);
    }

    /**
     * Whether reports show {@link #checkCode}: when there is one, and always for an external check's outcome, whose
     * code is the command's exit status (0 included), as HAProxy shows them.
     */
    public boolean codeShown() {
        return checkCode > 0 || code.startsWith("PROC");
    }

    public CheckStatus {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(description, "description");
        // the info may quote the server's answer: shown in log lines and show stat's CSV, so made one safe line
        info = LogText.clean(Objects.requireNonNull(info, "info"), INFO_CHARS);
    }
}
