package io.sluice.websocket;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Checks that bytes are well-formed UTF-8 (Unicode Table 3-7), incrementally: a text message arrives
 * in fragments and each fragment in reads of any size, so a multi-byte character may be cut anywhere.
 * The validator keeps the state of an open sequence between calls and fails at the first byte that
 * cannot continue a well-formed sequence, so an invalid message is refused as soon as the offending
 * byte arrives (RFC 6455 §8.1), not when the message ends.
 *
 * <p>Rejected: stray continuation bytes, {@code C0}/{@code C1} and {@code F5}-{@code FF} leads,
 * overlong forms ({@code E0 80}-{@code 9F}, {@code F0 80}-{@code 8F}), UTF-16 surrogates
 * ({@code ED A0}-{@code BF}), code points above U+10FFFF ({@code F4 90}-{@code BF}), and, checked by the
 * caller at the end of the message through {@link #isComplete()}, a truncated final sequence.
 *
 * <p>The states of the DFA are "how many continuation bytes are still needed" plus, for the four lead
 * bytes whose first continuation byte has a narrower range, one state each for that first byte. ASCII
 * runs are skipped eight bytes at a time.
 */
public final class Utf8Validator {

    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final long HIGH_BITS = 0x8080808080808080L;

    private static final int ACCEPT = 0;
    private static final int NEED_1 = 1;
    private static final int NEED_2 = 2;
    private static final int NEED_3 = 3;
    /** After E0: A0-BF (no overlong 3-byte forms), then one more. */
    private static final int AFTER_E0 = 4;
    /** After ED: 80-9F (no surrogates), then one more. */
    private static final int AFTER_ED = 5;
    /** After F0: 90-BF (no overlong 4-byte forms), then two more. */
    private static final int AFTER_F0 = 6;
    /** After F4: 80-8F (nothing above U+10FFFF), then two more. */
    private static final int AFTER_F4 = 7;
    private static final int REJECT = 8;

    private int state = ACCEPT;

    /**
     * Validates {@code bytes[from, to)} as the continuation of what came before.
     *
     * @return {@code to} when every byte was accepted (a sequence may still be open), otherwise the
     *     index of the first rejected byte; the validator then stays failed until {@link #reset()}
     */
    public int validate(byte[] bytes, int from, int to) {
        int s = state;
        if (s == REJECT) {
            return from;
        }
        int i = from;
        while (i < to) {
            if (s == ACCEPT) {
                while (to - i >= 8 && ((long) LONG.get(bytes, i) & HIGH_BITS) == 0) {
                    i += 8;
                }
                if (i == to) {
                    break;
                }
            }
            int b = bytes[i] & 0xFF;
            s = next(s, b);
            if (s == REJECT) {
                state = REJECT;
                return i;
            }
            i++;
        }
        state = s;
        return to;
    }

    private static int next(int state, int b) {
        switch (state) {
            case ACCEPT:
                if (b < 0x80) {
                    return ACCEPT;
                } else if (b < 0xC2) {
                    return REJECT; // continuation byte without a lead, or an overlong C0/C1 lead
                } else if (b < 0xE0) {
                    return NEED_1;
                } else if (b == 0xE0) {
                    return AFTER_E0;
                } else if (b == 0xED) {
                    return AFTER_ED;
                } else if (b < 0xF0) {
                    return NEED_2;
                } else if (b == 0xF0) {
                    return AFTER_F0;
                } else if (b < 0xF4) {
                    return NEED_3;
                } else if (b == 0xF4) {
                    return AFTER_F4;
                }
                return REJECT;
            case NEED_1:
                return isContinuation(b, 0x80, 0xBF) ? ACCEPT : REJECT;
            case NEED_2:
                return isContinuation(b, 0x80, 0xBF) ? NEED_1 : REJECT;
            case NEED_3:
                return isContinuation(b, 0x80, 0xBF) ? NEED_2 : REJECT;
            case AFTER_E0:
                return isContinuation(b, 0xA0, 0xBF) ? NEED_1 : REJECT;
            case AFTER_ED:
                return isContinuation(b, 0x80, 0x9F) ? NEED_1 : REJECT;
            case AFTER_F0:
                return isContinuation(b, 0x90, 0xBF) ? NEED_2 : REJECT;
            case AFTER_F4:
                return isContinuation(b, 0x80, 0x8F) ? NEED_2 : REJECT;
            default:
                return REJECT;
        }
    }

    private static boolean isContinuation(int b, int min, int max) {
        return b >= min && b <= max;
    }

    /** Whether everything so far was valid and no sequence is open: the text may end here. */
    public boolean isComplete() {
        return state == ACCEPT;
    }

    /** Whether a byte was rejected. */
    public boolean isFailed() {
        return state == REJECT;
    }

    /** Starts over, for the next message. */
    public void reset() {
        state = ACCEPT;
    }

    /** Whether {@code bytes[from, to)} is, on its own, complete well-formed UTF-8. */
    public static boolean isValid(byte[] bytes, int from, int to) {
        Utf8Validator validator = new Utf8Validator();
        return validator.validate(bytes, from, to) == to && validator.isComplete();
    }
}
