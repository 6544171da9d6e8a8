package dev.tether.runtime;

/**
 * The columns of {@code show stat}, in HAProxy's order (MGMT §9.1, up to {@code uweight}): scripts index the CSV by
 * position, so no column may move. The header is each name in lower case.
 */
enum StatField {
    PXNAME, SVNAME, QCUR, QMAX, SCUR, SMAX, SLIM, STOT, BIN, BOUT,
    DREQ, DRESP, EREQ, ECON, ERESP, WRETR, WREDIS, STATUS, WEIGHT, ACT,
    BCK, CHKFAIL, CHKDOWN, LASTCHG, DOWNTIME, QLIMIT, PID, IID, SID, THROTTLE,
    LBTOT, TRACKED, TYPE, RATE, RATE_LIM, RATE_MAX, CHECK_STATUS, CHECK_CODE, CHECK_DURATION, HRSP_1XX,
    HRSP_2XX, HRSP_3XX, HRSP_4XX, HRSP_5XX, HRSP_OTHER, HANAFAIL, REQ_RATE, REQ_RATE_MAX, REQ_TOT, CLI_ABRT,
    SRV_ABRT, COMP_IN, COMP_OUT, COMP_BYP, COMP_RSP, LASTSESS, LAST_CHK, LAST_AGT, QTIME, CTIME,
    RTIME, TTIME, AGENT_STATUS, AGENT_CODE, AGENT_DURATION, CHECK_DESC, AGENT_DESC, CHECK_RISE, CHECK_FALL,
    CHECK_HEALTH,
    AGENT_RISE, AGENT_FALL, AGENT_HEALTH, ADDR, COOKIE, MODE, ALGO, CONN_RATE, CONN_RATE_MAX, CONN_TOT,
    INTERCEPTED, DCON, DSES, WREW, CONNECT, REUSE, CACHE_LOOKUPS, CACHE_HITS, SRV_ICUR, SRC_ILIM,
    QTIME_MAX, CTIME_MAX, RTIME_MAX, TTIME_MAX, EINT, IDLE_CONN_CUR, SAFE_CONN_CUR, USED_CONN_CUR, NEED_CONN_EST,
    UWEIGHT;

    /** {@code # pxname,svname,...,uweight,} with HAProxy's trailing comma. */
    static String header() {
        StringBuilder b = new StringBuilder("# ");
        for (StatField f : values()) {
            b.append(f.name().toLowerCase(java.util.Locale.ROOT)).append(',');
        }
        return b.append('\n').toString();
    }
}
