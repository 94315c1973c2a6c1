package io.sluice.boot.observation;

import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;
import io.sluice.api.HttpRequest;
import io.sluice.api.HttpResponse;
import java.util.Locale;
import java.util.Map;

/**
 * The tags Spring's own server observations have ({@code DefaultServerRequestObservationConvention} of
 * Spring Web), so dashboards and alerts built for {@code http.server.requests} work unchanged:
 * <ul>
 *   <li>{@code method}: the request method, or {@code UNKNOWN} for a non-standard one;
 *   <li>{@code uri}: the route template, never the raw path (which would make a time series per user id);
 *       {@code root} for an empty template; without a template {@code REDIRECTION} for 3xx,
 *       {@code NOT_FOUND} for 404, else {@code UNKNOWN};
 *   <li>{@code status}: the status code, {@code UNKNOWN} when the client went away first;
 *   <li>{@code outcome}: {@code INFORMATIONAL}, {@code SUCCESS}, {@code REDIRECTION}, {@code CLIENT_ERROR},
 *       {@code SERVER_ERROR}, or {@code UNKNOWN};
 *   <li>{@code exception}: the simple class name of the error the endpoint raised, or {@code none};
 *   <li>high cardinality: {@code http.url}, the request's path.
 * </ul>
 */
public class DefaultSluiceServerRequestObservationConvention implements SluiceServerRequestObservationConvention {

    /** The name Spring Boot gives server request observations by default. */
    public static final String DEFAULT_NAME = "http.server.requests";

    private static final String UNKNOWN = "UNKNOWN";
    private static final KeyValue METHOD_UNKNOWN = KeyValue.of(KeyNames.METHOD, UNKNOWN);
    private static final Map<String, KeyValue> METHODS = methods("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE",
            "OPTIONS", "TRACE");
    private static final KeyValue STATUS_UNKNOWN = KeyValue.of(KeyNames.STATUS, UNKNOWN);
    /** Status tags by code (100-599), made once instead of per request. */
    private static final KeyValue[] STATUSES = statuses();
    private static final KeyValue URI_ROOT = KeyValue.of(KeyNames.URI, "root");
    private static final KeyValue URI_NOT_FOUND = KeyValue.of(KeyNames.URI, "NOT_FOUND");
    private static final KeyValue URI_REDIRECTION = KeyValue.of(KeyNames.URI, "REDIRECTION");
    private static final KeyValue URI_UNKNOWN = KeyValue.of(KeyNames.URI, UNKNOWN);
    private static final KeyValue EXCEPTION_NONE = KeyValue.of(KeyNames.EXCEPTION, "none");
    private static final KeyValue[] OUTCOMES = {
        KeyValue.of(KeyNames.OUTCOME, UNKNOWN),
        KeyValue.of(KeyNames.OUTCOME, "INFORMATIONAL"),
        KeyValue.of(KeyNames.OUTCOME, "SUCCESS"),
        KeyValue.of(KeyNames.OUTCOME, "REDIRECTION"),
        KeyValue.of(KeyNames.OUTCOME, "CLIENT_ERROR"),
        KeyValue.of(KeyNames.OUTCOME, "SERVER_ERROR"),
    };
    private static final KeyValue HTTP_URL_UNKNOWN = KeyValue.of(KeyNames.HTTP_URL, UNKNOWN);

    private final String name;

    public DefaultSluiceServerRequestObservationConvention() {
        this(DEFAULT_NAME);
    }

    /** @param name the observation's name, which is also the timer's */
    public DefaultSluiceServerRequestObservationConvention(String name) {
        this.name = name;
    }

    @Override
    public String getName() {
        return name;
    }

    @Override
    public String getContextualName(SluiceServerRequestObservationContext context) {
        HttpRequest request = context.getCarrier();
        String method = request == null ? "unknown" : request.method().toLowerCase(Locale.ROOT);
        return context.getPathPattern() == null ? "http " + method : "http " + method + " " + context.getPathPattern();
    }

    @Override
    public KeyValues getLowCardinalityKeyValues(SluiceServerRequestObservationContext context) {
        return KeyValues.of(exception(context), method(context), outcome(context), status(context), uri(context));
    }

    @Override
    public KeyValues getHighCardinalityKeyValues(SluiceServerRequestObservationContext context) {
        return KeyValues.of(httpUrl(context));
    }

    protected KeyValue method(SluiceServerRequestObservationContext context) {
        HttpRequest request = context.getCarrier();
        KeyValue method = request == null ? null : METHODS.get(request.method());
        return method != null ? method : METHOD_UNKNOWN;
    }

    protected KeyValue uri(SluiceServerRequestObservationContext context) {
        String pattern = context.getPathPattern();
        if (pattern != null) {
            return pattern.isEmpty() ? URI_ROOT : KeyValue.of(KeyNames.URI, pattern);
        }
        HttpResponse response = context.getResponse();
        if (response != null) {
            if (response.status() >= 300 && response.status() < 400) {
                return URI_REDIRECTION;
            }
            if (response.status() == 404) {
                return URI_NOT_FOUND;
            }
        }
        return URI_UNKNOWN;
    }

    protected KeyValue status(SluiceServerRequestObservationContext context) {
        HttpResponse response = context.getResponse();
        if (response == null || context.isConnectionAborted()) {
            return STATUS_UNKNOWN;
        }
        int status = response.status();
        return status >= 100 && status < STATUSES.length ? STATUSES[status]
                : KeyValue.of(KeyNames.STATUS, String.valueOf(status));
    }

    protected KeyValue outcome(SluiceServerRequestObservationContext context) {
        HttpResponse response = context.getResponse();
        if (response == null || context.isConnectionAborted()) {
            return OUTCOMES[0];
        }
        int series = response.status() / 100;
        return series >= 1 && series <= 5 ? OUTCOMES[series] : OUTCOMES[0];
    }

    protected KeyValue exception(SluiceServerRequestObservationContext context) {
        Throwable error = context.getError();
        if (error == null) {
            return EXCEPTION_NONE;
        }
        String simpleName = error.getClass().getSimpleName();
        return KeyValue.of(KeyNames.EXCEPTION, simpleName.isEmpty() ? error.getClass().getName() : simpleName);
    }

    protected KeyValue httpUrl(SluiceServerRequestObservationContext context) {
        HttpRequest request = context.getCarrier();
        return request == null ? HTTP_URL_UNKNOWN : KeyValue.of(KeyNames.HTTP_URL, request.rawPath());
    }

    private static Map<String, KeyValue> methods(String... names) {
        Map<String, KeyValue> methods = new java.util.HashMap<>();
        for (String method : names) {
            methods.put(method, KeyValue.of(KeyNames.METHOD, method));
        }
        return Map.copyOf(methods);
    }

    private static KeyValue[] statuses() {
        KeyValue[] statuses = new KeyValue[600];
        for (int status = 100; status < statuses.length; status++) {
            statuses[status] = KeyValue.of(KeyNames.STATUS, String.valueOf(status));
        }
        return statuses;
    }

    /** The tag keys. */
    static final class KeyNames {
        static final String METHOD = "method";
        static final String URI = "uri";
        static final String STATUS = "status";
        static final String OUTCOME = "outcome";
        static final String EXCEPTION = "exception";
        static final String HTTP_URL = "http.url";

        private KeyNames() {
        }
    }
}
