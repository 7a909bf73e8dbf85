package io.tuneforge.registry.rest;

import io.tuneforge.contracts.event.FieldError;

import java.util.List;

/**
 * Why a run failed.
 *
 * @param code        TrainingErrorCode, e.g. DATASET_NOT_FOUND
 * @param message     what went wrong and what to do about it
 * @param fieldErrors each bad request field; empty when the failure was not about the request
 */
public record RunErrorView(String code, String message, List<FieldError> fieldErrors) {
}
