package io.sluice.bench.jmh;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * The bytes every benchmark pair feeds to both codecs. Built once per trial, deterministically (fixed
 * seeds), so two runs and two codecs always see the same input.
 */
final class Inputs {

    /**
     * The masking key of every client frame. Its four bytes are below 0x80, so XOR with it keeps ASCII
     * text ASCII: Sluice unmasks in place, and a payload that flips between its masked and unmasked form
     * from one invocation to the next stays valid UTF-8 either way. It is non-zero because Netty skips
     * unmasking altogether for a zero key, which would not be the same work.
     */
    static final int MASK_KEY = 0x3A5C176E;

    private Inputs() {
    }

    /** A curl-like request: three header fields, 93 bytes. */
    static byte[] curlRequest(String target) {
        return ascii("GET " + target + " HTTP/1.1\r\n"
                + "Host: localhost:8080\r\n"
                + "User-Agent: curl/8.5.0\r\n"
                + "Accept: */*\r\n"
                + "\r\n");
    }

    /** A browser-like navigation request: ten header fields, 519 bytes. */
    static byte[] browserRequest(String target) {
        return ascii("GET " + target + " HTTP/1.1\r\n"
                + "Host: www.example.com\r\n"
                + "Connection: keep-alive\r\n"
                + "User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko)"
                + " Chrome/124.0.0.0 Safari/537.36\r\n"
                + "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8\r\n"
                + "Sec-Fetch-Site: same-origin\r\n"
                + "Sec-Fetch-Mode: navigate\r\n"
                + "Referer: https://www.example.com/catalog\r\n"
                + "Accept-Encoding: gzip, deflate, br\r\n"
                + "Accept-Language: en-US,en;q=0.9\r\n"
                + "Cookie: session=8f14e45fceea167a5a36dedd4bea2543; theme=dark\r\n"
                + "\r\n");
    }

    /** {@code size} bytes of printable ASCII. */
    static byte[] asciiText(int size) {
        SplittableRandom random = new SplittableRandom(42);
        byte[] text = new byte[size];
        for (int i = 0; i < size; i++) {
            text[i] = (byte) (' ' + random.nextInt(95));
        }
        return text;
    }

    /**
     * {@code size} bytes of well-formed UTF-8 mixing 1-, 2-, 3- and 4-byte sequences about evenly by
     * character (so most bytes belong to multi-byte sequences), padded with ASCII to the exact size.
     */
    static byte[] mixedText(int size) {
        String[] pieces = {"a", "Z", " ", "é", "ß", "Ω", "ж", "€", "世", "界", "ﬁ", "😀", "𝄞"};
        SplittableRandom random = new SplittableRandom(7);
        byte[] text = new byte[size];
        int n = 0;
        while (true) {
            byte[] piece = pieces[random.nextInt(pieces.length)].getBytes(StandardCharsets.UTF_8);
            if (n + piece.length > size) {
                break;
            }
            System.arraycopy(piece, 0, text, n, piece.length);
            n += piece.length;
        }
        while (n < size) {
            text[n++] = '.';
        }
        return text;
    }

    /** {@code size} pseudo-random bytes. */
    static byte[] binary(int size) {
        byte[] data = new byte[size];
        new SplittableRandom(1).nextBytes(data);
        return data;
    }

    /**
     * A complete, final client frame (RFC 6455 §5.2): minimal length encoding, masked with
     * {@link #MASK_KEY}.
     */
    static byte[] maskedClientFrame(int opcode, byte[] payload) {
        int length = payload.length;
        int lengthBytes = length <= 125 ? 0 : length <= 0xFFFF ? 2 : 8;
        byte[] frame = new byte[2 + lengthBytes + 4 + length];
        int p = 0;
        frame[p++] = (byte) (0x80 | opcode);
        if (lengthBytes == 0) {
            frame[p++] = (byte) (0x80 | length);
        } else if (lengthBytes == 2) {
            frame[p++] = (byte) (0x80 | 126);
            frame[p++] = (byte) (length >>> 8);
            frame[p++] = (byte) length;
        } else {
            frame[p++] = (byte) (0x80 | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                frame[p++] = (byte) ((long) length >>> shift);
            }
        }
        for (int shift = 24; shift >= 0; shift -= 8) {
            frame[p++] = (byte) (MASK_KEY >>> shift);
        }
        for (int i = 0; i < length; i++) {
            frame[p + i] = (byte) (payload[i] ^ (MASK_KEY >>> (24 - 8 * (i & 3))));
        }
        return frame;
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
