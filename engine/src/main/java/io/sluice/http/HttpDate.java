package io.sluice.http;

import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * The {@code Date} header line, re-encoded at most once a second (RFC 9110 §6.6.1 asks for one-second
 * resolution). Each event loop owns one and refreshes it from the clock reading it already takes per
 * iteration, so responses copy 37 ready-made bytes instead of formatting a date.
 */
public final class HttpDate {

    private static final String[] DAYS = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    private static final String[] MONTHS = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
        "Nov", "Dec"};

    private long second = Long.MIN_VALUE;
    private byte[] line;

    /** Brings the cached line up to date with {@code nowMillis}; cheap when the second is unchanged. */
    public void update(long nowMillis) {
        long nowSecond = Math.floorDiv(nowMillis, 1000);
        if (nowSecond != second) {
            second = nowSecond;
            line = ("Date: " + format(nowSecond) + "\r\n").getBytes(StandardCharsets.US_ASCII);
        }
    }

    /** {@code Date: <IMF-fixdate>\r\n} as of the last {@link #update}. */
    public byte[] line() {
        return line;
    }

    /** IMF-fixdate, e.g. {@code Sun, 06 Nov 1994 08:49:37 GMT}. */
    public static String format(long epochSecond) {
        LocalDateTime t = LocalDateTime.ofEpochSecond(epochSecond, 0, ZoneOffset.UTC);
        StringBuilder s = new StringBuilder(29);
        s.append(DAYS[t.getDayOfWeek().ordinal()]).append(", ");
        twoDigits(s, t.getDayOfMonth()).append(' ').append(MONTHS[t.getMonthValue() - 1]).append(' ');
        s.append(t.getYear()).append(' ');
        twoDigits(s, t.getHour()).append(':');
        twoDigits(s, t.getMinute()).append(':');
        twoDigits(s, t.getSecond()).append(" GMT");
        return s.toString();
    }

    private static StringBuilder twoDigits(StringBuilder s, int value) {
        return s.append((char) ('0' + value / 10)).append((char) ('0' + value % 10));
    }
}
