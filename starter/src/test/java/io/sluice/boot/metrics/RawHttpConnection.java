package io.sluice.boot.metrics;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
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
        return fetch(path).status();
    }

    /** Sends {@code GET path} with extra header lines ({@code "Accept: text/plain"}) and reads the response. */
    Response fetch(String path, String... headerLines) throws IOException {
        StringBuilder request = new StringBuilder("GET ").append(path).append(" HTTP/1.1\r\nHost: test\r\n");
        for (String line : headerLines) {
            request.append(line).append("\r\n");
        }
        byte[] bytes = request.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII);
        out.write(bytes);
        out.flush();
        bytesSent += bytes.length;
        String head = readHead();
        String contentType = null;
        long length = 0;
        for (String line : head.split("\r\n")) {
            String lower = line.toLowerCase(Locale.ROOT);
            if (lower.startsWith("content-length:")) {
                length = Long.parseLong(line.substring("content-length:".length()).trim());
            } else if (lower.startsWith("content-type:")) {
                contentType = line.substring("content-type:".length()).trim();
            }
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (long i = 0; i < length; i++) {
            body.write(readByte());
        }
        return new Response(Integer.parseInt(head.substring(9, 12)), contentType,
                body.toString(StandardCharsets.UTF_8));
    }

    record Response(int status, String contentType, String body) {
    }

    /** Whether the server closed the connection without sending anything. */
    boolean closedByServer() throws IOException {
        try {
            return in.read() < 0;
        } catch (SocketException reset) {
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
