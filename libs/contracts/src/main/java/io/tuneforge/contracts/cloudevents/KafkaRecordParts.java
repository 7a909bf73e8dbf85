package io.tuneforge.contracts.cloudevents;

import java.util.Map;

/**
 * What goes on the wire for one event in CloudEvents binary mode: the record key (aggregate id), the
 * {@code ce_*} headers and the JSON data as the record value.
 */
public record KafkaRecordParts(String key, Map<String, String> headers, String value) {
}
