package io.sluice.websocket;

/** Frame opcodes (RFC 6455 §5.2). Values 0x3-0x7 and 0xB-0xF are reserved and rejected. */
public final class Opcodes {

    /** A further fragment of the open data message. */
    public static final int CONTINUATION = 0x0;
    public static final int TEXT = 0x1;
    public static final int BINARY = 0x2;
    public static final int CLOSE = 0x8;
    public static final int PING = 0x9;
    public static final int PONG = 0xA;

    private Opcodes() {
    }

    /** Close, ping and pong: never fragmented, at most 125 payload bytes, allowed between fragments. */
    public static boolean isControl(int opcode) {
        return (opcode & 0x8) != 0;
    }

    /** An opcode this version of the protocol does not define (no extension we support defines any). */
    public static boolean isReserved(int opcode) {
        return (opcode >= 0x3 && opcode <= 0x7) || opcode >= 0xB;
    }
}
