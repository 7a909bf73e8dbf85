package io.tuneforge.registry.security;

import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.tuneforge.registry.config.RegistryConfig;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * With {@code tuneforge.registry.auth.anonymous-role=reader} (the default), a caller without credentials may read:
 * the anonymous identity gets the {@value Roles#READER} role. With {@code none}, it gets nothing and every endpoint
 * but sign-in asks for credentials.
 */
@ApplicationScoped
public class AnonymousReaders implements SecurityIdentityAugmentor {

    private final boolean anonymousReads;

    public AnonymousReaders(RegistryConfig config) {
        this.anonymousReads = Roles.READER.equals(config.auth().anonymousRole());
    }

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (!anonymousReads || !identity.isAnonymous()) {
            return Uni.createFrom().item(identity);
        }
        return Uni.createFrom().item(QuarkusSecurityIdentity.builder(identity).addRole(Roles.READER).build());
    }
}
