package io.tuneforge.cli.client;

import picocli.CommandLine.Option;

/**
 * {@code --url} and {@code --token} of the commands that talk to registry-service; unset, they resolve through
 * {@link PlatformSettings} ({@code TUNEFORGE_REGISTRY_URL}, {@code TUNEFORGE_REGISTRY_TOKEN}, platform.env).
 */
public final class RegistryOptions {

    @Option(names = "--url", paramLabel = "URL", description = "registry-service address. Default: $"
            + PlatformSettings.REGISTRY_URL + ", else .tuneforge/platform.env, else http://127.0.0.1:8085.")
    String url;

    @Option(names = "--token", paramLabel = "TOKEN", description = "registry API token. Default: "
            + "$TUNEFORGE_REGISTRY_TOKEN, else .tuneforge/platform.env.")
    String token;

    public ServiceClient client() {
        return ServiceClient.registry(PlatformSettings.load(), url, token);
    }
}
