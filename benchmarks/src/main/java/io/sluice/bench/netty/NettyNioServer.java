package io.sluice.bench.netty;

import io.sluice.bench.Payloads;

/** Netty 4.2 on the NIO transport: {@code NettyNioServer <port>}. See {@link NettyBenchServer}. */
public final class NettyNioServer {

    private NettyNioServer() {
    }

    public static void main(String[] args) throws Exception {
        NettyProperties.set();
        NettyBenchServer.run("netty-nio", Payloads.port(args), false);
    }
}
