package io.sluice.bench.netty;

/**
 * Netty's benchmark-grade system properties (as in the TechEmpower entry): leak detection off, buffer
 * bounds and accessibility checks off. Deliberately free of Netty types, so that calling {@link #set()}
 * first thing in {@code main} runs before any Netty class reads them. {@code -D} on the command line wins.
 */
final class NettyProperties {

    private NettyProperties() {
    }

    static void set() {
        setDefault("io.netty.leakDetection.level", "disabled");
        setDefault("io.netty.buffer.checkBounds", "false");
        setDefault("io.netty.buffer.checkAccessible", "false");
    }

    private static void setDefault(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
