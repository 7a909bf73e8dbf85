package io.tuneforge.cli.client;

import io.tuneforge.cli.platform.PlatformComponent;
import io.tuneforge.cli.platform.PlatformEnv;
import io.tuneforge.cli.platform.PlatformHome;
import io.tuneforge.storage.StorageSettings;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Where the platform is, as every client command resolves it: 1) the command-line option, 2) the environment variable
 * of the same name ({@code TUNEFORGE_REGISTRY_URL}, ...), 3) {@code <tuneforge.home>/.tuneforge/platform.env} written
 * by {@code tuneforge up}, 4) the default — the fixed local ports of {@link PlatformComponent}. Secrets (S3 keys, the
 * registry token) have no default and are never printed: {@link #describe} shows where a value came from, not the
 * value.
 */
public final class PlatformSettings {

    public static final String DATA_URL = "TUNEFORGE_DATA_URL";
    public static final String AUGMENT_URL = "TUNEFORGE_AUGMENT_URL";
    public static final String TRAINER_URL = "TUNEFORGE_TRAINER_URL";
    public static final String EVAL_URL = "TUNEFORGE_EVAL_URL";
    public static final String REGISTRY_URL = "TUNEFORGE_REGISTRY_URL";

    /** Where a value came from. */
    public enum Source { OPTION, ENVIRONMENT, PLATFORM_ENV, DEFAULT }

    /** A resolved value and its source; {@code value} is null when no source had one. */
    public record Setting(String key, String value, Source source) {
        public Optional<String> optional() {
            return Optional.ofNullable(value);
        }
    }

    private final Map<String, String> environment;
    private final Path envFile;
    private final Map<String, String> file;

    /**
     * @param environment the process environment (tests pass their own)
     * @param envFile     the platform.env to read; a missing file is "the platform is not up", not an error
     */
    public PlatformSettings(Map<String, String> environment, Path envFile) {
        this.environment = Map.copyOf(environment);
        this.envFile = envFile;
        this.file = PlatformEnv.read(envFile).map(PlatformEnv::values).orElse(Map.of());
    }

    /** The settings of this process: its environment and the platform.env of {@code tuneforge.home}. */
    public static PlatformSettings load() {
        return new PlatformSettings(System.getenv(), PlatformHome.locate().envFile());
    }

    public Path envFile() {
        return envFile;
    }

    /** Whether {@code tuneforge up} wrote a platform.env (the local platform is, or was, up). */
    public boolean hasPlatformEnv() {
        return !file.isEmpty();
    }

    /** Resolves {@code key}: {@code option} (may be null), then environment, platform.env, default. */
    public Setting resolve(String key, String option) {
        if (option != null && !option.isBlank()) {
            return new Setting(key, option.strip(), Source.OPTION);
        }
        String env = environment.get(key);
        if (env != null && !env.isBlank()) {
            return new Setting(key, env.strip(), Source.ENVIRONMENT);
        }
        String fromFile = file.get(key);
        if (fromFile != null && !fromFile.isBlank()) {
            return new Setting(key, fromFile, Source.PLATFORM_ENV);
        }
        String fallback = defaultOf(key);
        return new Setting(key, fallback, fallback == null ? null : Source.DEFAULT);
    }

    /** The value of {@code key}, or an error that says every place it was looked for. */
    public String require(String key, String option, String optionName) {
        Setting s = resolve(key, option);
        if (s.value() == null) {
            throw new IllegalStateException("no " + key + ": give " + (optionName == null ? "" : optionName + ", ")
                    + "set the environment variable " + key + ", or start the local platform with `./tuneforge up`"
                    + " (it writes " + envFile + ")");
        }
        return s.value();
    }

    /** Where a setting came from, for messages: never the value of a secret. */
    public String describe(Setting s) {
        String where = switch (s.source() == null ? Source.DEFAULT : s.source()) {
            case OPTION -> "command-line option";
            case ENVIRONMENT -> "environment";
            case PLATFORM_ENV -> envFile.toString();
            case DEFAULT -> "default";
        };
        String shown = PlatformEnv.SECRETS.contains(s.key()) ? "(secret)" : s.value();
        return s.key() + "=" + shown + " from " + where;
    }

    /** The address of a service by its {@code platform.env} key, e.g. {@link #REGISTRY_URL}. */
    public String serviceUrl(String key, String option) {
        return require(key, option, "--url");
    }

    /** The registry's bearer token ({@code TUNEFORGE_REGISTRY_TOKEN}); empty when none is configured. */
    public Optional<String> registryToken(String option) {
        return resolve(PlatformEnv.REGISTRY_TOKEN, option).optional();
    }

    /** S3 settings for {@code ArtifactStore}: endpoint and keys are required, region and bucket have defaults. */
    public StorageSettings storage() {
        return new StorageSettings(require(PlatformEnv.S3_ENDPOINT, null, null),
                require(PlatformEnv.S3_ACCESS_KEY, null, null), require(PlatformEnv.S3_SECRET_KEY, null, null),
                require(PlatformEnv.S3_REGION, null, null), require(PlatformEnv.S3_BUCKET, null, null));
    }

    static String defaultOf(String key) {
        return switch (key) {
            case PlatformEnv.S3_REGION -> StorageSettings.DEFAULT_REGION;
            case PlatformEnv.S3_BUCKET -> StorageSettings.DEFAULT_BUCKET;
            case PlatformEnv.KAFKA_BOOTSTRAP -> "127.0.0.1:" + PlatformComponent.INFRA.defaultPort();
            default -> PlatformComponent.SERVICES.stream().filter(s -> key.equals(s.envKey())).findFirst()
                    .map(s -> s.url(0)).orElse(null);
        };
    }
}
