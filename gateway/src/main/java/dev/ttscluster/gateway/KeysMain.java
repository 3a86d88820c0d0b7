package dev.ttscluster.gateway;

import dev.ttscluster.common.config.ConfigException;
import dev.ttscluster.common.config.InfraConfig;
import dev.ttscluster.gateway.tenants.ApiKeyStore;
import dev.ttscluster.gateway.tenants.Quota;
import dev.ttscluster.state.JobStore;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import redis.clients.jedis.UnifiedJedis;

/**
 * The operator's key tool, against the job-state Redis named by {@code TTS_REDIS_URL}:
 * <pre>
 *   keys create --tenant T [--name N] [--rate R] [--burst B] [--max-active M]   prints "api key: tts_..."
 *   keys revoke KEY
 * </pre>
 * The key is printed once and stored only as its hash. Exit codes: 0 done, 1 not found, 2 usage.
 */
public final class KeysMain {
    private KeysMain() {}

    public static void main(String[] args) {
        System.exit(run(args, System.getenv()));
    }

    static int run(String[] args, Map<String, String> env) {
        if (args.length == 0) {
            return usage();
        }
        InfraConfig infra;
        try {
            infra = InfraConfig.fromEnv(env);
        } catch (ConfigException e) {
            System.err.println("keys: bad configuration: " + e.getMessage());
            return 2;
        }
        try (UnifiedJedis redis = JobStore.client(infra.redisUrl(), 5000)) {
            ApiKeyStore keys = new ApiKeyStore(redis, Clock.systemUTC());
            switch (args[0]) {
                case "create" -> {
                    Map<String, String> o = options(args);
                    if (o == null || !o.containsKey("--tenant") || !ApiKeyStore.validTenant(o.get("--tenant"))) {
                        System.err.println("keys: create needs --tenant of 1-63 characters of [a-z0-9_-]");
                        return 2;
                    }
                    Quota q = new Quota(
                            Double.parseDouble(o.getOrDefault("--rate", "0")),
                            Integer.parseInt(o.getOrDefault("--burst", "0")),
                            Integer.parseInt(o.getOrDefault("--max-active", "0")));
                    ApiKeyStore.Issued k = keys.create(o.get("--tenant"), o.getOrDefault("--name", ""), q);
                    System.out.println("tenant: " + k.key().tenant());
                    System.out.println("key id: " + k.key().id());
                    System.out.println("api key: " + k.secret());
                    return 0;
                }
                case "revoke" -> {
                    if (args.length != 2) {
                        return usage();
                    }
                    boolean gone = keys.revoke(args[1]);
                    System.out.println(gone ? "revoked" : "no such key");
                    return gone ? 0 : 1;
                }
                default -> {
                    return usage();
                }
            }
        } catch (NumberFormatException e) {
            System.err.println("keys: a quota option is not a number: " + e.getMessage());
            return 2;
        } catch (IllegalArgumentException e) {
            System.err.println("keys: " + e.getMessage());
            return 2;
        }
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> m = new HashMap<>();
        for (int i = 1; i < args.length; i += 2) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                return null;
            }
            m.put(args[i], args[i + 1]);
        }
        return m;
    }

    private static int usage() {
        System.err.println("usage: keys create --tenant T [--name N] [--rate R] [--burst B] [--max-active M]\n"
                + "       keys revoke KEY");
        return 2;
    }
}
