package dev.ttscluster.e2e;

import dev.ttscluster.client.api.TtsClient;
import dev.ttscluster.deploy.local.LocalCluster;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Owns the {@link SharedCluster}: the first test class that uses it starts it (in JUnit's root store, so it is
 * closed once, when the whole test plan is done); before every class the worker count is brought back to
 * {@link SharedCluster#WORKERS}. Resolves {@link LocalCluster} and {@link TtsClient} (the shared key's) parameters
 * of constructors, lifecycle and test methods. Use it through {@link OnSharedCluster}. Thread-safe.
 */
final class SharedClusterExtension implements BeforeAllCallback, ParameterResolver {
    private static final ExtensionContext.Namespace NS =
            ExtensionContext.Namespace.create(SharedClusterExtension.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        cluster(context);
        SharedCluster.restoreWorkers();
    }

    private static SharedCluster cluster(ExtensionContext context) {
        return context.getRoot()
                .getStore(NS)
                .getOrComputeIfAbsent(SharedCluster.class, k -> SharedCluster.start(), SharedCluster.class);
    }

    @Override
    public boolean supportsParameter(ParameterContext p, ExtensionContext context) {
        Class<?> t = p.getParameter().getType();
        return t == LocalCluster.class || t == TtsClient.class;
    }

    @Override
    public Object resolveParameter(ParameterContext p, ExtensionContext context) {
        cluster(context);
        return p.getParameter().getType() == LocalCluster.class ? SharedCluster.get() : SharedCluster.client();
    }
}
