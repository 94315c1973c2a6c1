package io.sluice.boot.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * Names and tags the observations of requests served by annotated endpoints. Define a bean of this type to
 * replace {@link DefaultSluiceServerRequestObservationConvention} (or extend it to add a tag).
 */
public interface SluiceServerRequestObservationConvention
        extends ObservationConvention<SluiceServerRequestObservationContext> {

    @Override
    default boolean supportsContext(Observation.Context context) {
        return context instanceof SluiceServerRequestObservationContext;
    }
}
