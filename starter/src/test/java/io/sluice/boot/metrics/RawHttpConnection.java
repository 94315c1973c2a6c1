package io.sluice.boot.metrics;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** One keep-alive HTTP/1.1 connection that counts the exact bytes it sends and receives. */
final class RawHttpConnection implements Closeable {

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private long bytesSent;
    private long bytesReceived;

    RawHttpConnection(int port) throws IOException {
        socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        socket.setSoTimeout(10_000);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    /** Sends {@code GET path} and reads the whole response; returns its status. */
    int get(String path) throws IOException {
        byte[] request = ("GET " + path + " HTTP/1.1\r\nHost: test\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        out.write(request);
        out.flush();
        bytesSent += request.length;
        String head = readHead();
        long length = 0;
        for (String line : head.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Long.parseLong(line.substring("content-length:".length()).trim());
            }
        }
        for (long i = 0; i < length; i++) {
            readByte();
        }
        return Integer.parseInt(head.substring(9, 12));
    }

    /** Whether the server closed the connection without sending anything. */
    boolean closedByServer() throws IOException {
        try {
            return in.read() < 0;
        } catch (java.net.SocketException reset) {
            return true;
        }
    }

    long bytesSent() {
        return bytesSent;
    }

    long bytesReceived() {
        return bytesReceived;
    }

    private String readHead() throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int last4 = 0;
        while (last4 != 0x0D0A0D0A) {
            int b = readByte();
            head.write(b);
            last4 = (last4 << 8) | b;
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    private int readByte() throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new IOException("Connection closed in the middle of a response");
        }
        bytesReceived++;
        return b;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
