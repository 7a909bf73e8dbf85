package io.tuneforge.registry.persistence;

import io.tuneforge.contracts.training.TrainingStatus;
import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

/** Stores a {@link TrainingStatus} as its wire name ({@code queued}, {@code failed}, ...), as the API shows it. */
@Converter
public class TrainingStatusConverter implements AttributeConverter<TrainingStatus, String> {

    @Override
    public String convertToDatabaseColumn(TrainingStatus status) {
        return status == null ? null : status.wireName();
    }

    @Override
    public TrainingStatus convertToEntityAttribute(String value) {
        return value == null ? null : TrainingStatus.fromWire(value);
    }
}
