package io.sluice.bench.client;

import java.io.IOException;
import java.net.ProtocolException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * Splits what a server sends on one WebSocket connection into frames. A frame cut by the end of a read
 * is kept (copied out of the shared read buffer) until the rest arrives; a connection between frames
 * holds nothing.
 */
final class ServerFrameReader {

    /** Receives each complete frame; its payload is {@code buffer[payloadStart, payloadStart + length)}. */
    interface FrameHandler {
        void onFrame(int opcode, boolean fin, ByteBuffer buffer, int payloadStart, int length) throws IOException;
    }

    private ByteBuffer partial;

    /**
     * Reads what {@code channel} has into {@code scratch} (shared by all connections of a thread) and hands
     * every complete frame to {@code handler}.
     *
     * @return {@code false} if the server closed the connection
     * @throws ProtocolException for a masked frame, or one larger than {@code scratch}
     */
    boolean read(SocketChannel channel, ByteBuffer scratch, FrameHandler handler) throws IOException {
        scratch.clear();
        if (partial != null) {
            scratch.put(partial);
            partial = null;
        }
        if (channel.read(scratch) < 0) {
            return false;
        }
        scratch.flip();
        while (scratch.remaining() >= 2) {
            int start = scratch.position();
            int b0 = scratch.get(start) & 0xFF;
            int b1 = scratch.get(start + 1) & 0xFF;
            if ((b1 & 0x80) != 0) {
                throw new ProtocolException("masked frame from the server");
            }
            long length = b1 & 0x7F;
            int header = 2;
            if (length == 126) {
                if (scratch.remaining() < 4) {
                    break;
                }
                length = scratch.getShort(start + 2) & 0xFFFF;
                header = 4;
            } else if (length == 127) {
                if (scratch.remaining() < 10) {
                    break;
                }
                length = scratch.getLong(start + 2);
                header = 10;
            }
            if (header + length > scratch.capacity()) {
                throw new ProtocolException("frame of " + length + " bytes is larger than the read buffer");
            }
            if (scratch.remaining() < header + length) {
                break;
            }
            scratch.position((int) (start + header + length));
            handler.onFrame(b0 & 0x0F, (b0 & 0x80) != 0, scratch, start + header, (int) length);
        }
        if (scratch.hasRemaining()) {
            partial = ByteBuffer.allocate(scratch.remaining()).put(scratch).flip();
        }
        return true;
    }
}
