package io.sluice.boot.autoconfigure;

/**
 * The port Sluice was told to listen on is taken by another process. Boot's failure analysis turns it into
 * a report that names the port and what to do.
 */
public class SluicePortInUseException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int port;

    public SluicePortInUseException(int port, Throwable cause) {
        super("Port " + port + " is already in use", cause);
        this.port = port;
    }

    public int getPort() {
        return port;
    }
}
