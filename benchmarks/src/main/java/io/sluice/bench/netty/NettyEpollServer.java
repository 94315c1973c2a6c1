package io.sluice.bench.netty;

import io.sluice.bench.Payloads;

/** Netty 4.2 on the native epoll transport (Linux x86_64): {@code NettyEpollServer <port>}. See {@link NettyBenchServer}. */
public final class NettyEpollServer {

    private NettyEpollServer() {
    }

    public static void main(String[] args) throws Exception {
        NettyProperties.set();
        NettyBenchServer.run("netty-epoll", Payloads.port(args), true);
    }
}
