package io.sluice.boot.observation;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.common.KeyValue;
import io.sluice.api.Headers;
import io.sluice.api.HttpRequest;
import io.sluice.api.HttpResponse;
import io.sluice.http.QueryParameters;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.Charset;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class DefaultSluiceServerRequestObservationConventionTest {

    private final DefaultSluiceServerRequestObservationConvention convention =
            new DefaultSluiceServerRequestObservationConvention();

    @Test
    void successfulRequestIsTaggedWithItsTemplateNotItsPath() {
        SluiceServerRequestObservationContext context = context("GET", "/users/42", "/users/{id}");
        context.setResponse(HttpResponse.text("ok"));
        assertThat(lowCardinality(context)).isEqualTo(Map.of("method", "GET", "uri", "/users/{id}", "status", "200",
                "outcome", "SUCCESS", "exception", "none"));
        assertThat(highCardinality(context)).isEqualTo(Map.of("http.url", "/users/42"));
        assertThat(convention.getName()).isEqualTo("http.server.requests");
        assertThat(convention.getContextualName(context)).isEqualTo("http get /users/{id}");
    }

    @Test
    void failureIsTaggedWithTheExceptionsSimpleNameAndTheStatusSeries() {
        SluiceServerRequestObservationContext context = context("POST", "/orders", "/orders");
        context.setError(new IllegalStateException("x"));
        context.setResponse(HttpResponse.error(500));
        assertThat(lowCardinality(context)).containsEntry("exception", "IllegalStateException")
                .containsEntry("status", "500").containsEntry("outcome", "SERVER_ERROR");
        context.setResponse(HttpResponse.error(404));
        assertThat(lowCardinality(context)).containsEntry("outcome", "CLIENT_ERROR");
        context.setResponse(HttpResponse.status(302).header("Location", "/").empty());
        assertThat(lowCardinality(context)).containsEntry("outcome", "REDIRECTION");
        context.setError(new RuntimeException() { });
        assertThat(lowCardinality(context).get("exception")).startsWith(getClass().getName() + "$");
    }

    @Test
    void withoutATemplateTheUriSaysWhatHappenedWithoutThePath() {
        SluiceServerRequestObservationContext context = context("GET", "/nowhere", null);
        assertThat(lowCardinality(context)).containsEntry("uri", "UNKNOWN").containsEntry("status", "UNKNOWN")
                .containsEntry("outcome", "UNKNOWN");
        context.setResponse(HttpResponse.error(404));
        assertThat(lowCardinality(context)).containsEntry("uri", "NOT_FOUND");
        context.setResponse(HttpResponse.status(301).header("Location", "/").empty());
        assertThat(lowCardinality(context)).containsEntry("uri", "REDIRECTION");
        assertThat(convention.getContextualName(context)).isEqualTo("http get");
        assertThat(lowCardinality(context("GET", "/", ""))).containsEntry("uri", "root");
    }

    @Test
    void abortedConnectionHasNoKnownStatusAndNonStandardMethodsAreNotTags() {
        SluiceServerRequestObservationContext context = context("PURGE", "/cache", "/cache");
        context.setResponse(HttpResponse.text("ok"));
        context.setConnectionAborted(true);
        assertThat(lowCardinality(context)).containsEntry("method", "UNKNOWN").containsEntry("status", "UNKNOWN")
                .containsEntry("outcome", "UNKNOWN");
    }

    @Test
    void nameIsConfigurable() {
        assertThat(new DefaultSluiceServerRequestObservationConvention("api.requests").getName())
                .isEqualTo("api.requests");
    }

    @Test
    void supportsOnlyItsOwnContext() {
        assertThat(convention.supportsContext(context("GET", "/", "/"))).isTrue();
        assertThat(convention.supportsContext(new io.micrometer.observation.Observation.Context())).isFalse();
    }

    @Test
    void tracerReadsPropagatedContextFromRequestHeaders() {
        SluiceServerRequestObservationContext context = context("GET", "/", "/");
        assertThat(context.getGetter().get(context.getCarrier(), "traceparent")).isEqualTo("00-abc-def-01");
    }

    private Map<String, String> lowCardinality(SluiceServerRequestObservationContext context) {
        return convention.getLowCardinalityKeyValues(context).stream()
                .collect(Collectors.toMap(KeyValue::getKey, KeyValue::getValue));
    }

    private Map<String, String> highCardinality(SluiceServerRequestObservationContext context) {
        return convention.getHighCardinalityKeyValues(context).stream()
                .collect(Collectors.toMap(KeyValue::getKey, KeyValue::getValue));
    }

    private static SluiceServerRequestObservationContext context(String method, String path, String template) {
        return new SluiceServerRequestObservationContext(new Request(method, path), template);
    }

    /** Just enough of a request for the convention: method, path and one header. */
    private record Request(String method, String rawPath) implements HttpRequest {

        @Override
        public String target() {
            return rawPath;
        }

        @Override
        public String path() {
            return rawPath;
        }

        @Override
        public String rawQuery() {
            return null;
        }

        @Override
        public QueryParameters query() {
            return QueryParameters.parse(null);
        }

        @Override
        public Map<String, String> pathVariables() {
            return Map.of();
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
                    return 1;
                }

                @Override
                public String name(int index) {
                    return "traceparent";
                }

                @Override
                public String value(int index) {
                    return "00-abc-def-01";
                }

                @Override
                public String first(String name) {
                    return name.equalsIgnoreCase("traceparent") ? "00-abc-def-01" : null;
                }

                @Override
                public List<String> all(String name) {
                    String first = first(name);
                    return first == null ? List.of() : List.of(first);
                }
            };
        }

        @Override
        public Headers trailers() {
            return headers();
        }

        @Override
        public byte[] body() {
            return new byte[0];
        }

        @Override
        public String bodyAsString() {
            return "";
        }

        @Override
        public InputStream bodyStream() {
            return InputStream.nullInputStream();
        }

        @Override
        public Charset charset(Charset fallback) {
            return fallback;
        }

        @Override
        public InetSocketAddress remoteAddress() {
            return null;
        }

        @Override
        public InetSocketAddress localAddress() {
            return null;
        }
    }
}
