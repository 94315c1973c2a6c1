package io.sluice.websocket;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Checks that bytes are well-formed UTF-8 (RFC 3629, Unicode Table 3-7), incrementally: a text message
 * arrives in fragments and each fragment in reads of any size, so a multi-byte character may be cut
 * anywhere. The validator keeps the state of an open sequence between calls and fails at the first byte
 * that cannot continue a well-formed sequence, so an invalid message is refused as soon as the
 * offending byte arrives (RFC 6455 §8.1), not when the message ends.
 *
 * <p>Rejected: stray continuation bytes, {@code C0}/{@code C1} and {@code F5}-{@code FF} leads,
 * overlong forms ({@code E0 80}-{@code 9F}, {@code F0 80}-{@code 8F}), UTF-16 surrogates
 * ({@code ED A0}-{@code BF}), code points above U+10FFFF ({@code F4 90}-{@code BF}), and, checked by the
 * caller at the end of the message through {@link #isComplete()}, a truncated final sequence.
 *
 * <p>Two ways through the bytes, which accept exactly the same ones:
 *
 * <ul>
 *   <li>The fast path checks eight bytes at a time, as the eight lanes of a {@code long}, with the same
 *       fifty-odd bit operations whatever the bytes are (see {@link #wellFormedPrefix}): no branch
 *       depends on how long each character is, so text mixing 1- to 4-byte characters at random costs
 *       no branch mispredictions, and no word waits for the one before to find out where its first
 *       character starts (as a character-at-a-time loop must). A word of ASCII is one test.
 *   <li>A byte-at-a-time state machine finishes a sequence cut by the end of the previous piece, checks
 *       the last bytes of a piece, and, where the fast path saw an error, finds the exact byte.
 * </ul>
 *
 * <p>The state machine's states are "how many continuation bytes are still needed" plus, for the four
 * lead bytes whose first continuation byte has a narrower range, one state each for that first byte.
 */
public final class Utf8Validator {

    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    /** Bit 7 of every lane: a lane mask's "true". */
    private static final long HIGH_BITS = 0x8080808080808080L;
    /** Added to a lane below 80, carries into bit 7 unless the lane is 0: the zero test. */
    private static final long LOW_7_BITS = 0x7F7F7F7F7F7F7F7FL;
    private static final long LOW_NIBBLES = 0x0F0F0F0F0F0F0F0FL;
    /** Added to the low 7 bits of a lane, carries into bit 7 exactly from 42 up (bytes C2-FF, of leads). */
    private static final long CARRY_FROM_42 = 0x3E3E3E3E3E3E3E3EL;
    /** Added to the low 7 bits of a lane, carries into bit 7 exactly from 75 up (bytes F5-FF). */
    private static final long CARRY_FROM_75 = 0x0B0B0B0B0B0B0B0BL;
    private static final long NIBBLE_D = 0x0D0D0D0D0D0D0D0DL;
    private static final long NIBBLE_4 = 0x0404040404040404L;

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
        int i = from;
        if (state != ACCEPT) {
            if (state == REJECT) {
                return from;
            }
            i = step(bytes, from, to, true);
            if (state != ACCEPT) {
                return i;
            }
        }
        return step(bytes, wellFormedPrefix(bytes, i, to), to, false);
    }

    /**
     * Confirms whole words of well-formed text from {@code from}, a character boundary, and returns the
     * character boundary where the state machine must take over: the start of the last character of
     * the last good word (which may run on past it), or, when a word holds an error, the start of the
     * last character before that word (so the state machine meets the error with the right state);
     * {@code to} when the bytes end in eight ASCII bytes, which leaves nothing for it to do.
     *
     * <p>Each word is eight lanes of one byte; a lane mask is a {@code long} with bit 7 set in the
     * lanes where something holds. Shifting a word left by {@code k} brings bit {@code 7 - k} of every
     * byte to bit 7 of its lane, so a few shifts and ANDs classify all eight bytes at once. A word is
     * well-formed, given the word before it, when:
     *
     * <ol>
     *   <li>the continuation bytes ({@code 10xxxxxx}) are exactly the lanes the lead bytes before them
     *       call for: the next after any lead ({@code 11xxxxxx}), the second next after a lead of a
     *       3- or 4-byte sequence ({@code 111xxxxx}), the third next after a lead of a 4-byte sequence
     *       ({@code 1111xxxx}); leads near the end of a word call for lanes of the next one. This alone
     *       rules out stray, missing and surplus continuation bytes;
     *   <li>no lead is {@code C0}, {@code C1} or {@code F5}-{@code FF};
     *   <li>the byte after {@code E0} has bit 5 set (A0-BF: no overlong form), after {@code F0} bit 5
     *       or 4 (90-BF), after {@code ED} bit 5 clear (80-9F: no surrogate), after {@code F4} both
     *       clear (80-8F: nothing above U+10FFFF). Being continuation bytes, only those bits are left to
     *       check. The lead before each lane comes from a second load one byte earlier.
     * </ol>
     *
     * <p>This costs about the same for any mix of characters; ASCII words are skipped with one test.
     */
    private static int wellFormedPrefix(byte[] bytes, int from, int to) {
        int i = from;
        int lastWord = to - 8;
        long calledFor = 0; // continuation lanes of this word that leads in the previous word call for
        while (i <= lastWord) {
            long word = (long) LONG.get(bytes, i);
            long high = word & HIGH_BITS;
            if ((high | calledFor) == 0) {
                i += 8;
                while (i <= lastWord && ((long) LONG.get(bytes, i) & HIGH_BITS) == 0) {
                    i += 8;
                }
                continue;
            }
            long lead = high & word << 1;
            long lead3 = lead & word << 2;
            long lead4 = lead3 & word << 3;
            long structure = (high ^ lead) ^ (lead >>> 8 | lead3 >>> 16 | lead4 >>> 24 | calledFor);

            long low7 = word & LOW_7_BITS;
            long badLead = lead & ~(low7 + CARRY_FROM_42) | (low7 + CARRY_FROM_75) & high;

            // Each lane's preceding byte: at a boundary, an ASCII stand-in (nothing is open there).
            long before = i > from ? (long) LONG.get(bytes, i - 1) : word >>> 8;
            long afterLead3 = before & before << 1 & before << 2;
            long afterLead4 = afterLead3 & before << 3;
            long nibble = before & LOW_NIBBLES;
            long bit5 = word << 2;
            long bit4 = word << 3;
            long badSecond = ~(nibble + LOW_7_BITS) & afterLead3 & ~bit5 & ~(afterLead4 & bit4) // E0, F0
                    | ~((nibble ^ NIBBLE_D) + LOW_7_BITS) & afterLead3 & bit5 // ED (FD is a bad lead)
                    | ~((nibble ^ NIBBLE_4) + LOW_7_BITS) & afterLead4 & (bit5 | bit4); // F4

            if ((structure | badLead | badSecond & HIGH_BITS) != 0) {
                break;
            }
            calledFor = lead << 56 | lead3 << 48 | lead4 << 40;
            i += 8;
        }
        if (i == from) {
            return from;
        }
        if (i > lastWord && ((long) LONG.get(bytes, lastWord) & HIGH_BITS) == 0) {
            return to; // the last eight bytes are ASCII, so nothing is left open either
        }
        // Back to the last lead or ASCII byte before i: a boundary, since the words before i are well-formed.
        int boundary = i - 1;
        while (boundary > from && (bytes[boundary] & 0xC0) == 0x80) {
            boundary--;
        }
        return boundary;
    }

    /**
     * Runs the state machine over {@code bytes[from, to)} from the current state, stopping early at the
     * end of a character if {@code untilComplete} (to hand over to the fast path).
     *
     * @return where it stopped, or the index of the rejected byte
     */
    private int step(byte[] bytes, int from, int to, boolean untilComplete) {
        int s = state;
        int i = from;
        while (i < to) {
            s = next(s, bytes[i] & 0xFF);
            if (s == REJECT) {
                state = REJECT;
                return i;
            }
            i++;
            if (s == ACCEPT && untilComplete) {
                break;
            }
        }
        state = s;
        return i;
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
