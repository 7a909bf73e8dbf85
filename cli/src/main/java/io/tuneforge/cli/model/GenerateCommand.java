package io.tuneforge.cli.model;

import com.fasterxml.jackson.core.type.TypeReference;
import io.tuneforge.contracts.Json;
import io.tuneforge.tuning.chat.Message;
import io.tuneforge.tuning.device.DeviceSettings;
import io.tuneforge.tuning.generate.ChatGenerator;
import io.tuneforge.tuning.generate.GenerationConfig;
import io.tuneforge.tuning.generate.GenerationResult;
import io.tuneforge.tuning.generate.Generator;
import io.tuneforge.tuning.model.LlamaModel;
import io.tuneforge.tuning.peft.LoraAdapter;
import io.tuneforge.tuning.tokenizer.TextTokenizer;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code tuneforge model generate}: text from a model. A {@code --prompt} is sent as one user turn through the
 * model's chat template (as {@code ollama run} does) unless {@code --raw}; {@code --messages} sends a whole
 * conversation. Greedy by default, so that the same command gives the same text.
 */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Generate text with a model (chat template applied unless --raw).")
public final class GenerateCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "Hugging Face model directory.")
    Path model;

    @Option(names = "--adapter", paramLabel = "DIR",
            description = "PEFT LoRA adapter directory (adapter_config.json + adapter_model.safetensors) to apply.")
    Path adapter;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Input input;

    static final class Input {
        @Option(names = "--prompt", paramLabel = "TEXT", description = "The user's message (or raw text with --raw).")
        String prompt;

        @Option(names = "--messages", paramLabel = "FILE",
                description = "JSON array of {\"role\": ..., \"content\": ...} turns.")
        Path messages;
    }

    @Option(names = "--raw", description = "Continue --prompt as plain text, without the chat template.")
    boolean raw;

    @Option(names = "--max-new-tokens", defaultValue = "128", description = "Default: ${DEFAULT-VALUE}.")
    int maxNewTokens;

    @Option(names = "--temperature", defaultValue = "0", description = "0 = greedy (default); > 0 samples.")
    double temperature;

    @Option(names = "--top-k", defaultValue = "0", description = "Sample from the k likeliest tokens; 0 = off.")
    int topK;

    @Option(names = "--top-p", defaultValue = "1.0", description = "Nucleus sampling mass; 1 = off.")
    double topP;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of sampling. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--stop", paramLabel = "TEXT", description = "Stop when the text contains this (repeatable).")
    List<String> stops = List.of();

    @Override
    public Integer call() throws Exception {
        GenerationConfig config = new GenerationConfig(maxNewTokens, temperature, topK, topP, seed, stops, Set.of());
        try (LlamaModel llama = LlamaModel.load(model, DeviceSettings.auto());
             LoraAdapter lora = adapter != null ? LoraAdapter.load(adapter, llama) : null;
             TextTokenizer tokenizer = TextTokenizer.load(model)) {
            Generator generator = new Generator(llama, tokenizer);
            GenerationResult result;
            if (input.prompt != null && raw) {
                result = generator.generateText(List.of(input.prompt), config).get(0);
            } else {
                List<Message> conversation = input.prompt != null
                        ? List.of(Message.user(input.prompt))
                        : readMessages(input.messages);
                result = new ChatGenerator(generator).generate(List.of(conversation), config).get(0);
            }
            System.out.println(result.text());
            System.err.printf("[%d prompt tokens, %d new tokens, finished by %s]%n", result.promptTokens(),
                    result.tokenIds().length, result.finishReason().name().toLowerCase());
        }
        return 0;
    }

    private static List<Message> readMessages(Path file) throws Exception {
        List<Message> messages = Json.mapper().readValue(Files.readString(file), new TypeReference<List<Message>>() {
        });
        if (messages.isEmpty()) {
            throw new IllegalArgumentException("--messages " + file + " holds no turns; expected a JSON array of"
                    + " {\"role\": \"user\", \"content\": \"...\"}");
        }
        return messages;
    }
}
