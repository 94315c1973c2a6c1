package io.sluice.boot.autoconfigure;

import java.lang.reflect.Method;

/** Java 21's thread API, seen from code compiled for Java 17. */
final class Threads {

    private Threads() {
    }

    static boolean jvmHasVirtualThreads() {
        return Runtime.version().feature() >= 21;
    }

    /** {@code Thread.isVirtual()} where it exists; {@code false} before Java 21, which has no virtual threads. */
    static boolean isVirtual(Thread thread) {
        if (!jvmHasVirtualThreads()) {
            return false;
        }
        try {
            Method isVirtual = Thread.class.getMethod("isVirtual");
            return (Boolean) isVirtual.invoke(thread);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Java " + Runtime.version() + " lacks Thread.isVirtual()", e);
        }
    }
}
