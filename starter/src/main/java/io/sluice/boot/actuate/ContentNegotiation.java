package io.sluice.boot.actuate;

import java.util.List;
import java.util.Map;
import org.springframework.util.InvalidMimeTypeException;
import org.springframework.util.MimeType;
import org.springframework.util.MimeTypeUtils;

/**
 * Chooses a representation from a request's {@code Accept} header (RFC 9110 §12.5.1).
 *
 * <p>Each type we produce takes the quality of the most specific media range that matches it: an exact
 * type with parameters beats the bare type, which beats {@code type/*}, which beats {@code *}{@code /*}.
 * A range with parameters matches only a type that has the same values, so a client asking for
 * {@code application/openmetrics-text;version=0.0.1} is not handed version 1.0.0. The highest quality
 * wins; ties go to the earlier type in our list, the endpoint's default first.
 */
final class ContentNegotiation {

    /** No acceptable representation; answer 406. */
    static final int NOT_ACCEPTABLE = -1;

    private ContentNegotiation() {
    }

    /**
     * @param accept   the header value, {@code null} when absent (anything is acceptable)
     * @param produced what the endpoint can send, in order of preference
     * @return the index in {@code produced} to send, or {@link #NOT_ACCEPTABLE}
     */
    static int choose(String accept, List<MimeType> produced) {
        if (accept == null || accept.isBlank()) {
            return 0;
        }
        List<MimeType> ranges;
        try {
            ranges = MimeTypeUtils.parseMimeTypes(accept);
        } catch (InvalidMimeTypeException e) {
            return NOT_ACCEPTABLE;
        }
        int chosen = NOT_ACCEPTABLE;
        double chosenQuality = 0;
        for (int i = 0; i < produced.size(); i++) {
            double quality = quality(ranges, produced.get(i));
            if (quality > chosenQuality) {
                chosen = i;
                chosenQuality = quality;
            }
        }
        return chosen;
    }

    private static double quality(List<MimeType> ranges, MimeType type) {
        MimeType mostSpecific = null;
        int bestSpecificity = -1;
        for (MimeType range : ranges) {
            int specificity = specificity(range, type);
            if (specificity > bestSpecificity) {
                mostSpecific = range;
                bestSpecificity = specificity;
            }
        }
        return mostSpecific == null ? 0 : qualityOf(mostSpecific);
    }

    /** How closely {@code range} names {@code type}: 0 for any type, up to 3 with parameters; -1 if it does not match. */
    private static int specificity(MimeType range, MimeType type) {
        if (range.isWildcardType()) {
            return 0;
        }
        if (!range.getType().equalsIgnoreCase(type.getType())) {
            return -1;
        }
        if (range.isWildcardSubtype()) {
            return 1;
        }
        if (!range.getSubtype().equalsIgnoreCase(type.getSubtype())) {
            return -1;
        }
        boolean hasParameters = false;
        for (Map.Entry<String, String> parameter : range.getParameters().entrySet()) {
            if (parameter.getKey().equalsIgnoreCase("q")) {
                continue;
            }
            hasParameters = true;
            String ours = type.getParameter(parameter.getKey());
            if (ours == null || !ours.equalsIgnoreCase(unquote(parameter.getValue()))) {
                return -1;
            }
        }
        return hasParameters ? 3 : 2;
    }

    private static double qualityOf(MimeType range) {
        String q = range.getParameter("q");
        if (q == null) {
            return 1;
        }
        try {
            double quality = Double.parseDouble(q);
            return quality >= 0 && quality <= 1 ? quality : 0;
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static String unquote(String value) {
        return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
                ? value.substring(1, value.length() - 1) : value;
    }
}
