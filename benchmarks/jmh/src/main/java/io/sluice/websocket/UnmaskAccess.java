package io.sluice.websocket;

/**
 * Opens {@link FrameDecoder}'s package-private unmasking routine to the unmasking benchmark. It lives in
 * the engine's package only for that: the engine is not a named module, so on the benchmark's class path
 * this is an ordinary same-package call, which the JIT inlines.
 */
public final class UnmaskAccess {

    private UnmaskAccess() {
    }

    /** {@link FrameDecoder#unmask}: XORs {@code bytes[offset, offset + length)} with the key from {@code phase}. */
    public static int unmask(byte[] bytes, int offset, int length, int maskKey, int phase) {
        return FrameDecoder.unmask(bytes, offset, length, maskKey, phase);
    }
}
