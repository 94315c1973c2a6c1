package io.sluice.boot.web;

import io.sluice.api.Headers;
import io.sluice.api.HttpRequest;
import io.sluice.http.QueryParameters;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A request as the engine would hand it to a handler, built without a socket. */
final class TestRequest implements HttpRequest {

    private final String method;
    private final String rawPath;
    private final String rawQuery;
    private final Map<String, String> variables = new LinkedHashMap<>();
    private final List<String[]> headers = new ArrayList<>();
    private byte[] body = new byte[0];

    private TestRequest(String method, String target) {
        this.method = method;
        int question = target.indexOf('?');
        this.rawPath = question < 0 ? target : target.substring(0, question);
        this.rawQuery = question < 0 ? null : target.substring(question + 1);
    }

    static TestRequest of(String method, String target) {
        return new TestRequest(method, target);
    }

    TestRequest variable(String name, String value) {
        variables.put(name, value);
        return this;
    }

    TestRequest header(String name, String value) {
        headers.add(new String[] {name, value});
        return this;
    }

    TestRequest body(String text) {
        this.body = text.getBytes(StandardCharsets.UTF_8);
        return this;
    }

    TestRequest body(byte[] bytes) {
        this.body = bytes;
        return this;
    }

    @Override
    public String method() {
        return method;
    }

    @Override
    public String target() {
        return rawQuery == null ? rawPath : rawPath + "?" + rawQuery;
    }

    @Override
    public String rawPath() {
        return rawPath;
    }

    @Override
    public String path() {
        return rawPath;
    }

    @Override
    public String rawQuery() {
        return rawQuery;
    }

    @Override
    public QueryParameters query() {
        return QueryParameters.parse(rawQuery);
    }

    @Override
    public Map<String, String> pathVariables() {
        return variables;
    }

    @Override
    public String version() {
        return "HTTP/1.1";
    }

    @Override
    public Headers headers() {
        return new Headers() {
            @Override
            public int size() {
                return headers.size();
            }

            @Override
            public String name(int index) {
                return headers.get(index)[0];
            }

            @Override
            public String value(int index) {
                return headers.get(index)[1];
            }

            @Override
            public String first(String name) {
                List<String> all = all(name);
                return all.isEmpty() ? null : all.get(0);
            }

            @Override
            public List<String> all(String name) {
                return headers.stream().filter(field -> field[0].equalsIgnoreCase(name)).map(field -> field[1])
                        .toList();
            }
        };
    }

    @Override
    public Headers trailers() {
        return TestRequest.of("GET", "/").headers();
    }

    @Override
    public byte[] body() {
        return body;
    }

    @Override
    public String bodyAsString() {
        return new String(body, charset(StandardCharsets.UTF_8));
    }

    @Override
    public InputStream bodyStream() {
        return new ByteArrayInputStream(body);
    }

    @Override
    public Charset charset(Charset fallback) {
        return fallback;
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return new InetSocketAddress("127.0.0.1", 50000);
    }

    @Override
    public InetSocketAddress localAddress() {
        return new InetSocketAddress("127.0.0.1", 8080);
    }
}
