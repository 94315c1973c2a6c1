package io.sluice.transport;

/** Creates the protocol of each connection a loop accepts; one factory per loop, called on that loop. */
@FunctionalInterface
public interface ProtocolFactory {

    Protocol create(Connection connection);
}
