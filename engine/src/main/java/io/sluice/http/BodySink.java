package io.sluice.http;

/** Receives decoded body bytes. The range is only valid during the call: copy what must be kept. */
@FunctionalInterface
public interface BodySink {

    void onBodyBytes(byte[] bytes, int offset, int length);
}
