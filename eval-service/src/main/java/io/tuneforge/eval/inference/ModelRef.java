package io.tuneforge.eval.inference;

/**
 * What a request's {@code model} names: a base model, optionally with a LoRA adapter over it.
 *
 * @param name the name as the client wrote it (echoed in responses)
 * @param baseUri {@code s3://} prefix of the base model (Hugging Face layout)
 * @param adapterUri {@code s3://} prefix of the PEFT adapter, or null for the base model alone
 */
public record ModelRef(String name, String baseUri, String adapterUri) {
}
