package io.tuneforge.contracts.event;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a record component of an event payload that no consumer can do without (run id, dataset id, version, ...).
 * {@link io.tuneforge.contracts.cloudevents.CloudEventsKafka#decode} refuses a payload whose JSON lacks such a field,
 * or holds {@code null} or a blank string there, naming every missing field; {@link RequiredFields} does the check.
 * <p>
 * A component of a nested record type is checked recursively when it is present (e.g. {@code checkpoint.uri}).
 * The fields of {@link io.tuneforge.contracts.training.TrainingRequest} are deliberately not marked: a bad request is
 * answered with {@code TrainingFailed} by the validator, not dead-lettered.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface Required {
}
