package io.sluice.boot.websocket;

import io.sluice.api.WebSocketSession;
import java.lang.invoke.MethodHandle;
import java.lang.reflect.Type;

/**
 * One validated endpoint method, ready to call: a method handle bound to the bean and spread over an argument
 * array of fixed length, and one resolver per parameter.
 */
final class CallbackMethod {

    private final String description;
    private final MethodHandle invoker;
    private final ArgumentResolver[] resolvers;
    private final Reply reply;
    private final Class<?> eventType;
    private final Type eventGenericType;

    /**
     * @param invoker a handle of type {@code (Object[])Object}
     * @param eventType the message parameter's type for {@code @OnMessage}, the failure type for {@code @OnError},
     *     else {@code null}
     */
    CallbackMethod(String description, MethodHandle invoker, ArgumentResolver[] resolvers, Reply reply,
            Class<?> eventType, Type eventGenericType) {
        this.description = description;
        this.invoker = invoker;
        this.resolvers = resolvers;
        this.reply = reply;
        this.eventType = eventType;
        this.eventGenericType = eventGenericType;
    }

    /**
     * The arguments of a call.
     *
     * @throws InvalidPathVariableException when a path variable does not convert to its parameter's type
     */
    Object[] arguments(WebSocketSession session, Object event) {
        Object[] arguments = new Object[resolvers.length];
        for (int i = 0; i < resolvers.length; i++) {
            arguments[i] = resolvers[i].resolve(session, event);
        }
        return arguments;
    }

    /** Calls the method and sends what it returned; throws whatever the method or the reply threw. */
    void invokeAndReply(WebSocketSession session, Object[] arguments) throws Throwable {
        Object result = (Object) invoker.invokeExact(arguments);
        reply.send(session, result);
    }

    /** The raw type of the message (for {@code @OnMessage}) or failure (for {@code @OnError}) parameter. */
    Class<?> eventType() {
        return eventType;
    }

    /** The full generic type of the message parameter, which JSON binds to. */
    Type eventGenericType() {
        return eventGenericType;
    }

    @Override
    public String toString() {
        return description;
    }
}
